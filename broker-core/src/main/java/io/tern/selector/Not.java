package io.tern.selector;

/**
 * {@code NOT}: swaps true and false; unknown (and anything that is not a truth value) stays unknown.
 *
 * <p>Immutable and thread-safe.
 */
final class Not extends Node {

    private final Node operand;

    Not(Node operand) {
        super(operand);
        this.operand = operand;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind kind = operand.evaluate(evaluation);
        if (kind == ValueKind.TRUE) {
            return ValueKind.FALSE;
        }
        if (kind == ValueKind.FALSE) {
            return ValueKind.TRUE;
        }
        return ValueKind.NULL;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(NOT " + operand + ")";
    }
}
