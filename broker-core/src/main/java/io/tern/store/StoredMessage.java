package io.tern.store;

import io.tern.protocol.MessageSnapshot;

/**
 * A message as a store returns it: its position in its destination and the message.
 *
 * @param sequence the position the broker gave it, increasing within a destination
 * @param deliveryCount how many times the broker recorded it as delivered (0 when never recorded)
 */
public record StoredMessage(long sequence, MessageSnapshot message, int deliveryCount) {
}
