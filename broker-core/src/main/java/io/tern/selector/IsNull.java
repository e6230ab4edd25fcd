package io.tern.selector;

/**
 * {@code identifier IS [NOT] NULL}: true or false, never unknown. A missing property and a null header
 * are NULL; so are the headers the spec excludes from selectors.
 *
 * <p>Immutable and thread-safe.
 */
final class IsNull extends Node {

    private final Identifier operand;
    private final boolean negated;

    IsNull(Identifier operand, boolean negated) {
        super(operand);
        this.operand = operand;
        this.negated = negated;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        return ValueKind.of((operand.evaluate(evaluation) == ValueKind.NULL) != negated);
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + operand + (negated ? " IS NOT NULL)" : " IS NULL)");
    }
}
