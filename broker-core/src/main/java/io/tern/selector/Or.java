package io.tern.selector;

/**
 * {@code OR} with SQL three-valued logic: true if either side is true, false if both are false,
 * otherwise unknown. A side that is not a truth value counts as unknown. Stops after a true left side.
 *
 * <p>Immutable and thread-safe.
 */
final class Or extends Node {

    private final Node left;
    private final Node right;

    Or(Node left, Node right) {
        this.left = left;
        this.right = right;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind l = left.evaluate(evaluation);
        if (l == ValueKind.TRUE) {
            return ValueKind.TRUE;
        }
        ValueKind r = right.evaluate(evaluation);
        if (r == ValueKind.TRUE) {
            return ValueKind.TRUE;
        }
        return l == ValueKind.FALSE && r == ValueKind.FALSE ? ValueKind.FALSE : ValueKind.NULL;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " OR " + right + ")";
    }
}
