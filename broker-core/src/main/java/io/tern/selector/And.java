package io.tern.selector;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A chain {@code a AND b AND ...} with SQL three-valued logic: false if any operand is false, true if
 * all are true, otherwise unknown. An operand that is not a truth value (a property holding a string,
 * say) counts as unknown. Evaluates left to right and stops at the first false operand. One node holds
 * the whole chain, so a long generated chain does not make a deep tree.
 *
 * <p>Immutable and thread-safe.
 */
final class And extends Node {

    private final Node[] operands;

    And(List<Node> operands) {
        super(operands.toArray(new Node[0]));
        this.operands = operands.toArray(new Node[0]);
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        boolean unknown = false;
        for (Node operand : operands) {
            ValueKind kind = operand.evaluate(evaluation);
            if (kind == ValueKind.FALSE) {
                return ValueKind.FALSE;
            }
            if (kind != ValueKind.TRUE) {
                unknown = true;
            }
        }
        return unknown ? ValueKind.NULL : ValueKind.TRUE;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return Stream.of(operands).map(Node::toString).collect(Collectors.joining(" AND ", "(", ")"));
    }
}
