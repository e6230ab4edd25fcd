package io.tern.selector;

/**
 * A string, exact numeric, approximate numeric or boolean literal, converted once at parse time.
 *
 * <p>Immutable and thread-safe.
 */
final class Literal extends Node {

    static final Literal TRUE = new Literal(ValueKind.TRUE, 0, 0, null);
    static final Literal FALSE = new Literal(ValueKind.FALSE, 0, 0, null);

    private final ValueKind kind;
    private final long longValue;
    private final double doubleValue;
    private final String stringValue;

    private Literal(ValueKind kind, long longValue, double doubleValue, String stringValue) {
        this.kind = kind;
        this.longValue = longValue;
        this.doubleValue = doubleValue;
        this.stringValue = stringValue;
    }

    static Literal ofLong(long value) {
        return new Literal(ValueKind.LONG, value, 0, null);
    }

    static Literal ofDouble(double value) {
        return new Literal(ValueKind.DOUBLE, 0, value, null);
    }

    static Literal ofString(String value) {
        return new Literal(ValueKind.STRING, 0, 0, value);
    }

    boolean isNumber() {
        return kind.isNumber();
    }

    /** This numeric literal with its sign changed, as Java would compute it (so the minimum long stays). */
    Literal negated() {
        return kind == ValueKind.LONG ? ofLong(-longValue) : ofDouble(-doubleValue);
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        switch (kind) {
            case LONG:
                evaluation.longValue = longValue;
                break;
            case DOUBLE:
                evaluation.doubleValue = doubleValue;
                break;
            case STRING:
                evaluation.stringValue = stringValue;
                break;
            default:
                break;
        }
        return kind;
    }

    @Override
    ExpressionType type() {
        switch (kind) {
            case LONG:
            case DOUBLE:
                return ExpressionType.NUMBER;
            case STRING:
                return ExpressionType.STRING;
            default:
                return ExpressionType.BOOLEAN;
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case LONG:
                return Long.toString(longValue);
            case DOUBLE:
                return Double.toString(doubleValue);
            case STRING:
                return quote(stringValue);
            default:
                return kind.name();
        }
    }

    /** The string as a selector literal, with single quotes doubled. */
    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
