package io.tern.selector;

import io.tern.protocol.MessageSnapshot;

/**
 * A {@link SelectorContext} that reads a {@link MessageSnapshot}. The instance inside each thread's
 * {@link Evaluation} is pointed at one snapshot after another, so matching a snapshot allocates no
 * adapter; instances handed out by {@link SelectorContext#of} are never re-pointed.
 *
 * <p>Not thread-safe while being re-pointed; it is only ever re-pointed by the thread that owns it.
 */
final class SnapshotContext implements SelectorContext {

    private MessageSnapshot message;

    MessageSnapshot message() {
        return message;
    }

    void reset(MessageSnapshot message) {
        this.message = message;
    }

    @Override
    public Object property(String name) {
        return message.properties().get(name);
    }

    @Override
    public String messageId() {
        return message.messageId();
    }

    @Override
    public long timestamp() {
        return message.timestamp();
    }

    @Override
    public String correlationId() {
        return message.correlationId();
    }

    @Override
    public String type() {
        return message.type();
    }

    @Override
    public int deliveryMode() {
        return message.deliveryMode();
    }

    @Override
    public int priority() {
        return message.priority();
    }

    @Override
    public String toString() {
        return "SnapshotContext[" + message + "]";
    }
}
