package io.tern.transport;

import io.tern.protocol.MessageSnapshot;

/**
 * A message handed by the broker to one consumer.
 *
 * @param consumerId the consumer it is for
 * @param deliveryId unique within the connection; acknowledgements and returns name it
 * @param message the message
 * @param deliveryCount how many times it has been delivered, this time included (JMSXDeliveryCount)
 */
public record Delivery(long consumerId, long deliveryId, MessageSnapshot message, int deliveryCount) {

    /** JMSRedelivered: the message was delivered to an application before. */
    public boolean redelivered() {
        return deliveryCount > 1;
    }
}
