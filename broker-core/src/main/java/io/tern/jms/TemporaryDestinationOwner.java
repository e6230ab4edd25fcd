package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.JMSException;

/** The connection that created a temporary destination, which alone may delete it. */
interface TemporaryDestinationOwner {

    void deleteTemporaryDestination(Address address) throws JMSException;
}
