package io.tern.selector;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A chain {@code a OR b OR ...} with SQL three-valued logic: true if any operand is true, false if all
 * are false, otherwise unknown. An operand that is not a truth value counts as unknown. Evaluates left
 * to right and stops at the first true operand. One node holds the whole chain, so a selector generated
 * as {@code id = 1 OR id = 2 OR ...} does not make a deep tree.
 *
 * <p>Immutable and thread-safe.
 */
final class Or extends Node {

    private final Node[] operands;

    Or(List<Node> operands) {
        super(operands.toArray(new Node[0]));
        this.operands = operands.toArray(new Node[0]);
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        boolean unknown = false;
        for (Node operand : operands) {
            ValueKind kind = operand.evaluate(evaluation);
            if (kind == ValueKind.TRUE) {
                return ValueKind.TRUE;
            }
            if (kind != ValueKind.FALSE) {
                unknown = true;
            }
        }
        return unknown ? ValueKind.NULL : ValueKind.FALSE;
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return Stream.of(operands).map(Node::toString).collect(Collectors.joining(" OR ", "(", ")"));
    }
}
