package io.tern.selector;

/**
 * {@code identifier [NOT] LIKE 'pattern' [ESCAPE 'c']} with the pattern compiled at parse time. NULL
 * makes both forms unknown; NOT LIKE is the negation of LIKE, so a value that is not a string makes LIKE
 * false and NOT LIKE true, as for IN.
 *
 * <p>Immutable and thread-safe.
 */
final class Like extends Node {

    private final Identifier operand;
    private final LikePattern pattern;
    private final boolean negated;

    Like(Identifier operand, LikePattern pattern, boolean negated) {
        super(operand);
        this.operand = operand;
        this.pattern = pattern;
        this.negated = negated;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind kind = operand.evaluate(evaluation);
        if (kind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        boolean matched = kind == ValueKind.STRING && pattern.matches(evaluation.stringValue);
        return ValueKind.of(matched != negated);
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + operand + (negated ? " NOT LIKE " : " LIKE ") + pattern + ")";
    }
}
