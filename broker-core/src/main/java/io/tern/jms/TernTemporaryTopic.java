package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/** A topic that lives as long as the connection that created it. */
public final class TernTemporaryTopic extends TernTopic implements TemporaryTopic {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    TernTemporaryTopic(String name, TemporaryDestinationOwner owner) {
        super(new Address(Address.Kind.TEMP_TOPIC, name));
        this.owner = owner;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new jakarta.jms.IllegalStateException(
                    "temporary topic " + name() + " may be deleted only through the connection that created it");
        }
        owner.deleteTemporaryDestination(address());
    }
}
