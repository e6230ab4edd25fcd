package io.tern.jms;

import jakarta.jms.JMSException;

/**
 * What {@code Message.acknowledge()} does for a received message; the consumer that delivered it sets it
 * (see {@link TernMessage#setAcknowledger}). Implementations decide their own thread-safety; the
 * consumer's session is the usual owner.
 */
@FunctionalInterface
public interface MessageAcknowledger {

    void acknowledge() throws JMSException;
}
