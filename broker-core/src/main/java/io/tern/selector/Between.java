package io.tern.selector;

/**
 * {@code v [NOT] BETWEEN low AND high}, evaluated exactly as the spec's equivalents
 * {@code v >= low AND v <= high} and {@code v < low OR v > high} under three-valued logic, with
 * {@code v} evaluated once. So a NULL bound does not always make the result unknown (25 BETWEEN NULL
 * AND 20 is false), and a non-numeric {@code v} makes both forms false.
 *
 * <p>Immutable and thread-safe.
 */
final class Between extends Node {

    private final Node value;
    private final Node low;
    private final Node high;
    private final boolean negated;

    Between(Node value, Node low, Node high, boolean negated) {
        super(value, low, high);
        this.value = value;
        this.low = low;
        this.high = high;
        this.negated = negated;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        ValueKind kind = value.evaluate(evaluation);
        if (kind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        long valueLong = evaluation.longValue;
        double valueDouble = evaluation.doubleValue;
        String valueString = evaluation.stringValue;
        ValueKind lowResult = compare(evaluation, kind, valueLong, valueDouble, valueString, low,
                negated ? Comparison.Operator.LESS : Comparison.Operator.GREATER_OR_EQUAL);
        // Short-circuit as AND / OR would.
        if (lowResult == (negated ? ValueKind.TRUE : ValueKind.FALSE)) {
            return lowResult;
        }
        ValueKind highResult = compare(evaluation, kind, valueLong, valueDouble, valueString, high,
                negated ? Comparison.Operator.GREATER : Comparison.Operator.LESS_OR_EQUAL);
        if (highResult == (negated ? ValueKind.TRUE : ValueKind.FALSE)) {
            return highResult;
        }
        return lowResult == ValueKind.NULL || highResult == ValueKind.NULL ? ValueKind.NULL : lowResult;
    }

    private static ValueKind compare(Evaluation evaluation, ValueKind kind, long valueLong, double valueDouble,
            String valueString, Node bound, Comparison.Operator operator) {
        ValueKind boundKind = bound.evaluate(evaluation);
        if (boundKind == ValueKind.NULL) {
            return ValueKind.NULL;
        }
        return ValueKind.of(operator.test(kind, valueLong, valueDouble, valueString,
                boundKind, evaluation.longValue, evaluation.doubleValue, evaluation.stringValue));
    }

    @Override
    ExpressionType type() {
        return ExpressionType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + value + (negated ? " NOT BETWEEN " : " BETWEEN ") + low + " AND " + high + ")";
    }
}
