package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.Topic;

/** A topic, named by the application. Create with {@code session.createTopic} or directly. */
public class TernTopic extends TernDestination implements Topic {

    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException when the name is invalid (see {@link Address#invalidNameReason}) */
    public TernTopic(String name) {
        this(new Address(Address.Kind.TOPIC, checkName(name)));
    }

    TernTopic(Address address) {
        super(address);
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
