package io.tern.selector;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.InvalidSelectorException;
import java.util.Objects;

/**
 * A compiled JMS message selector (Jakarta Messaging 3.1, section 3.8.1). {@link #parse} checks the
 * syntax and the types it can check and compiles the expression to a tree; {@link #matches} then
 * evaluates that tree without allocating, so a consumer's selector is parsed once and evaluated for
 * every candidate message.
 *
 * <p>A message matches when the selector evaluates to true; false and unknown (SQL's NULL, as from a
 * missing property) do not match. Evaluation never throws for a message's values: comparing unlike
 * types is false, arithmetic with a missing value or a division by zero is unknown. See
 * {@code docs/selectors.md} for the full grammar and semantics.
 *
 * <p>Immutable and thread-safe: one instance may be evaluated by any number of threads at once.
 * Evaluation keeps a small scratch object per thread.
 */
public final class MessageSelector {

    /** The selector of a consumer that has none: it matches every message. */
    public static final MessageSelector MATCH_ALL = new MessageSelector("", null);

    private final String expression;
    /** The compiled tree; null for {@link #MATCH_ALL}. */
    private final Node root;

    private MessageSelector(String expression, Node root) {
        this.expression = expression;
        this.root = root;
    }

    /**
     * Compiles a selector.
     *
     * @param expression the selector text; null, empty or only whitespace means no selector, as the
     *        spec says, and gives {@link #MATCH_ALL}
     * @throws InvalidSelectorException if the text is not a valid selector; the message gives the
     *         1-based position of the problem, the selector and the reason
     */
    public static MessageSelector parse(String expression) throws InvalidSelectorException {
        if (expression == null || isBlank(expression)) {
            return MATCH_ALL;
        }
        return new MessageSelector(expression, SelectorParser.parse(expression));
    }

    private static boolean isBlank(String expression) {
        for (int i = 0; i < expression.length(); i++) {
            if (!SelectorLexer.isWhitespace(expression.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the selector selects the message; allocates nothing. */
    public boolean matches(MessageSnapshot message) {
        Objects.requireNonNull(message, "message");
        return root == null || Evaluation.current().evaluate(root, message) == ValueKind.TRUE;
    }

    /**
     * Whether the selector selects the message the context describes. Exceptions thrown by the context
     * propagate to the caller.
     */
    public boolean matches(SelectorContext message) {
        Objects.requireNonNull(message, "message");
        return root == null || Evaluation.current().evaluate(root, message) == ValueKind.TRUE;
    }

    /** The selector text as given to {@link #parse}; the empty string for {@link #MATCH_ALL}. */
    public String expression() {
        return expression;
    }

    /**
     * Whether this is the selector of a consumer without one, so that {@code getMessageSelector()} can
     * return null for it.
     */
    public boolean isMatchAll() {
        return root == null;
    }

    /** The three-valued result: TRUE, FALSE, or NULL for unknown (or another kind, also no match). */
    ValueKind evaluate(MessageSnapshot message) {
        return root == null ? ValueKind.TRUE : Evaluation.current().evaluate(root, message);
    }

    ValueKind evaluate(SelectorContext message) {
        return root == null ? ValueKind.TRUE : Evaluation.current().evaluate(root, message);
    }

    /** The compiled tree, fully parenthesized; for tests and debugging. */
    String tree() {
        return root == null ? "TRUE" : root.toString();
    }

    /** Selectors are equal when their texts are: the same text always selects the same messages. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageSelector other && expression.equals(other.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return root == null ? "MessageSelector[match all]" : "MessageSelector[" + expression + "]";
    }
}
