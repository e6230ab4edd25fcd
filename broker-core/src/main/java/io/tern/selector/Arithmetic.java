package io.tern.selector;

/**
 * Binary {@code + - * /}. Exact operands (byte, short, int, long) are computed in {@code long} with Java's
 * wrap-around on overflow; if either operand is approximate both are computed in {@code double}. Computing
 * int values in long rather than int (as Java's own promotion would) avoids surprising overflow, since
 * selector literals are longs anyway. NULL in either operand makes the result NULL; a non-numeric value
 * makes it {@link ValueKind#OTHER}, which compares false; division by zero, exact or approximate, is
 * NULL (unknown) rather than an exception or an infinity.
 *
 * <p>Immutable and thread-safe.
 */
final class Arithmetic extends Node {

    enum Operator {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    private final Node left;
    private final Operator operator;
    private final Node right;

    Arithmetic(Node left, Operator operator, Node right) {
        super(left, right);
        this.left = left;
        this.operator = operator;
        this.right = right;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind leftKind = left.evaluate(evaluation);
        if (leftKind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        long leftLong = evaluation.longValue;
        double leftDouble = evaluation.doubleValue;
        ValueKind rightKind = right.evaluate(evaluation);
        if (rightKind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        if (!leftKind.isNumber() || !rightKind.isNumber()) {
            return ValueKind.OTHER;
        }
        if (leftKind == ValueKind.LONG && rightKind == ValueKind.LONG) {
            long rightLong = evaluation.longValue;
            switch (operator) {
                case ADD:
                    evaluation.longValue = leftLong + rightLong;
                    break;
                case SUBTRACT:
                    evaluation.longValue = leftLong - rightLong;
                    break;
                case MULTIPLY:
                    evaluation.longValue = leftLong * rightLong;
                    break;
                default:
                    if (rightLong == 0) {
                        return ValueKind.NULL;
                    }
                    evaluation.longValue = leftLong / rightLong;
                    break;
            }
            return ValueKind.LONG;
        }
        double a = leftKind == ValueKind.LONG ? leftLong : leftDouble;
        double b = rightKind == ValueKind.LONG ? evaluation.longValue : evaluation.doubleValue;
        switch (operator) {
            case ADD:
                evaluation.doubleValue = a + b;
                break;
            case SUBTRACT:
                evaluation.doubleValue = a - b;
                break;
            case MULTIPLY:
                evaluation.doubleValue = a * b;
                break;
            default:
                if (b == 0.0) {
                    return ValueKind.NULL;
                }
                evaluation.doubleValue = a / b;
                break;
        }
        return ValueKind.DOUBLE;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.NUMBER;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator.symbol() + " " + right + ")";
    }
}
