package io.tern.selector;

import io.tern.protocol.MessageSnapshot;
import java.util.Objects;

/**
 * What a message selector can see of a message: the six headers the spec lets selectors use and the
 * message's properties. The broker evaluates selectors against {@link MessageSnapshot}s directly; other
 * callers implement this interface to evaluate against another representation, for example to add the
 * per-delivery {@code JMSXDeliveryCount} that a snapshot does not carry.
 *
 * <p>Implementations are called on the evaluating thread only and must not keep state between calls on
 * behalf of the selector; evaluation never allocates, so an implementation that allocates nothing keeps
 * selector evaluation garbage-free.
 */
public interface SelectorContext {

    /**
     * The value of a JMSX, provider ({@code JMS_}) or application property: a {@code Boolean},
     * {@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code Float}, {@code Double} or
     * {@code String}, or null when the message has no such property. Values of other types never
     * compare equal to anything.
     */
    Object property(String name);

    /** {@code JMSMessageID}, or null. */
    String messageId();

    /** {@code JMSTimestamp} in epoch milliseconds. */
    long timestamp();

    /** {@code JMSCorrelationID} as a string, or null (also when it was set as bytes). */
    String correlationId();

    /** {@code JMSType}, or null. */
    String type();

    /** {@code jakarta.jms.DeliveryMode.PERSISTENT} or {@code NON_PERSISTENT}. */
    int deliveryMode();

    /** {@code JMSPriority}, 0 to 9. */
    int priority();

    /**
     * A context that reads the given snapshot. Allocates one small object; the broker's own dispatch path
     * uses {@link MessageSelector#matches(MessageSnapshot)} instead, which does not.
     */
    static SelectorContext of(MessageSnapshot message) {
        SnapshotContext context = new SnapshotContext();
        context.reset(Objects.requireNonNull(message, "message"));
        return context;
    }
}
