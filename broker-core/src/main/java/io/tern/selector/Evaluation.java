package io.tern.selector;

import io.tern.protocol.MessageSnapshot;

/**
 * The scratch state of selector evaluation on one thread: the message being evaluated and the register
 * into which a value node leaves its number or string (the {@link ValueKind} it returns says which).
 * A node that needs two operand values copies the first out of the register into locals before it
 * evaluates the second, so one register per thread serves a tree of any depth without allocating.
 *
 * <p>Not thread-safe: each thread uses its own instance, from {@link #current()}. Evaluations may nest
 * on one thread (a {@link SelectorContext} may itself evaluate a selector); the previous message is
 * restored when an inner evaluation ends.
 */
final class Evaluation {

    private static final ThreadLocal<Evaluation> CURRENT = ThreadLocal.withInitial(Evaluation::new);

    private final SnapshotContext snapshotContext = new SnapshotContext();

    /** The message being evaluated. */
    SelectorContext context;
    long longValue;
    double doubleValue;
    String stringValue;

    static Evaluation current() {
        return CURRENT.get();
    }

    ValueKind evaluate(Node root, SelectorContext message) {
        SelectorContext previous = context;
        context = message;
        try {
            return root.evaluate(this);
        } finally {
            context = previous;
            // Do not keep a string of the message reachable from the thread after evaluation.
            stringValue = null;
        }
    }

    ValueKind evaluate(Node root, MessageSnapshot message) {
        MessageSnapshot previous = snapshotContext.message();
        snapshotContext.reset(message);
        try {
            return evaluate(root, snapshotContext);
        } finally {
            snapshotContext.reset(previous);
        }
    }

    /** Loads a property value into the register and says what kind it is. */
    ValueKind load(Object value) {
        if (value == null) {
            return ValueKind.NULL;
        }
        if (value instanceof String s) {
            stringValue = s;
            return ValueKind.STRING;
        }
        if (value instanceof Integer i) {
            longValue = i;
            return ValueKind.LONG;
        }
        if (value instanceof Long l) {
            longValue = l;
            return ValueKind.LONG;
        }
        if (value instanceof Boolean b) {
            return ValueKind.of(b);
        }
        if (value instanceof Double d) {
            doubleValue = d;
            return ValueKind.DOUBLE;
        }
        if (value instanceof Float f) {
            doubleValue = f;
            return ValueKind.DOUBLE;
        }
        if (value instanceof Short s) {
            longValue = s;
            return ValueKind.LONG;
        }
        if (value instanceof Byte b) {
            longValue = b;
            return ValueKind.LONG;
        }
        return ValueKind.OTHER;
    }

    /** Loads a header string that may be null. */
    ValueKind loadString(String value) {
        if (value == null) {
            return ValueKind.NULL;
        }
        stringValue = value;
        return ValueKind.STRING;
    }
}
