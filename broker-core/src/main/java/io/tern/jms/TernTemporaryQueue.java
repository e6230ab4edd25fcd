package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/** A queue that lives as long as the connection that created it. */
public final class TernTemporaryQueue extends TernQueue implements TemporaryQueue {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    TernTemporaryQueue(String name, TemporaryDestinationOwner owner) {
        super(new Address(Address.Kind.TEMP_QUEUE, name));
        this.owner = owner;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new jakarta.jms.IllegalStateException(
                    "temporary queue " + name() + " may be deleted only through the connection that created it");
        }
        owner.deleteTemporaryDestination(address());
    }
}
