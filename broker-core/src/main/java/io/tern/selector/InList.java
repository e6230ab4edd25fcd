package io.tern.selector;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code identifier [NOT] IN ('a', 'b', ...)}, looked up in a hash set built at parse time. NULL makes
 * both forms unknown. As the spec defines IN as a chain of {@code =} and NOT IN as its negation, a value
 * that is not a string makes IN false and NOT IN true.
 *
 * <p>Immutable and thread-safe.
 */
final class InList extends Node {

    private final Identifier operand;
    private final List<String> listed;
    private final Set<String> values;
    private final boolean negated;

    InList(Identifier operand, List<String> listed, boolean negated) {
        super(operand);
        this.operand = operand;
        this.listed = List.copyOf(listed);
        this.values = Set.copyOf(listed);
        this.negated = negated;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind kind = operand.evaluate(evaluation);
        if (kind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        boolean found = kind == ValueKind.STRING && values.contains(evaluation.stringValue);
        return ValueKind.of(found != negated);
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + operand + (negated ? " NOT IN (" : " IN (")
                + listed.stream().map(Literal::quote).collect(Collectors.joining(", ")) + "))";
    }
}
