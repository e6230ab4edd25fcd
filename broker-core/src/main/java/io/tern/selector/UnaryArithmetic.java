package io.tern.selector;

/**
 * Unary minus or plus on a non-literal operand (signs on literals are folded at parse time). Plus does
 * not change a number but, like every arithmetic operator, turns a non-number into
 * {@link ValueKind#OTHER}.
 *
 * <p>Immutable and thread-safe.
 */
final class UnaryArithmetic extends Node {

    private final Node operand;
    private final boolean negate;

    UnaryArithmetic(Node operand, boolean negate) {
        super(operand);
        this.operand = operand;
        this.negate = negate;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind kind = operand.evaluate(evaluation);
        if (kind == ValueKind.LONG) {
            if (negate) {
                evaluation.longValue = -evaluation.longValue;
            }
            return kind;
        }
        if (kind == ValueKind.DOUBLE) {
            if (negate) {
                evaluation.doubleValue = -evaluation.doubleValue;
            }
            return kind;
        }
        return kind == ValueKind.NULL ? ValueKind.NULL : ValueKind.OTHER;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.NUMBER;
    }

    @Override
    public String toString() {
        return "(" + (negate ? "-" : "+") + operand + ")";
    }
}
