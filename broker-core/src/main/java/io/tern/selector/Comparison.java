package io.tern.selector;

/**
 * {@code = <> < > <= >=}. Numbers compare across exact and approximate as Java's numeric promotion
 * does; strings and booleans support only {@code =} and {@code <>}. As the spec says, NULL on either
 * side makes the comparison unknown, and comparing values of unlike types (or ordering strings or
 * booleans found in properties) makes it false, never an error.
 *
 * <p>Immutable and thread-safe.
 */
final class Comparison extends Node {

    enum Operator {
        EQUAL("="), NOT_EQUAL("<>"), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }

        boolean isEquality() {
            return this == EQUAL || this == NOT_EQUAL;
        }

        /**
         * Compares two non-null values, passed unpacked so that no value is boxed. Only the fields that
         * belong to each kind are read.
         */
        boolean test(ValueKind leftKind, long leftLong, double leftDouble, String leftString,
                ValueKind rightKind, long rightLong, double rightDouble, String rightString) {
            if (leftKind == ValueKind.LONG && rightKind == ValueKind.LONG) {
                return compare(leftLong, rightLong);
            }
            if (leftKind.isNumber() && rightKind.isNumber()) {
                return compare(leftKind == ValueKind.LONG ? leftLong : leftDouble,
                        rightKind == ValueKind.LONG ? rightLong : rightDouble);
            }
            if (!isEquality()) {
                return false;
            }
            if (leftKind == ValueKind.STRING && rightKind == ValueKind.STRING) {
                return leftString.equals(rightString) == (this == EQUAL);
            }
            if (leftKind.isBoolean() && rightKind.isBoolean()) {
                return (leftKind == rightKind) == (this == EQUAL);
            }
            return false;
        }

        private boolean compare(long a, long b) {
            switch (this) {
                case EQUAL:
                    return a == b;
                case NOT_EQUAL:
                    return a != b;
                case LESS:
                    return a < b;
                case LESS_OR_EQUAL:
                    return a <= b;
                case GREATER:
                    return a > b;
                default:
                    return a >= b;
            }
        }

        // Primitive operators, not Double.compare, so NaN and -0.0 behave as in Java expressions.
        private boolean compare(double a, double b) {
            switch (this) {
                case EQUAL:
                    return a == b;
                case NOT_EQUAL:
                    return a != b;
                case LESS:
                    return a < b;
                case LESS_OR_EQUAL:
                    return a <= b;
                case GREATER:
                    return a > b;
                default:
                    return a >= b;
            }
        }
    }

    private final Node left;
    private final Operator operator;
    private final Node right;

    Comparison(Node left, Operator operator, Node right) {
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
        String leftString = evaluation.stringValue;
        ValueKind rightKind = right.evaluate(evaluation);
        if (rightKind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        return ValueKind.of(operator.test(leftKind, leftLong, leftDouble, leftString,
                rightKind, evaluation.longValue, evaluation.doubleValue, evaluation.stringValue));
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator.symbol() + " " + right + ")";
    }
}
