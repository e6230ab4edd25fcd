package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.Topic;

/** A topic, named by the application. Create with {@code session.createTopic} or directly. */
public class TernTopic extends TernDestination implements Topic {

    private static final long serialVersionUID = 1L;

    /**
     * @param name the name, optionally followed by consumer options such as
     *             {@code ?consumer.exclusive=true&consumer.prefetchSize=10}
     * @throws IllegalArgumentException when the name or an option is invalid
     */
    public TernTopic(String name) {
        this(DestinationOptions.parse(name));
    }

    private TernTopic(DestinationOptions parsed) {
        super(new Address(Address.Kind.TOPIC, checkName(parsed.name())), parsed.options());
    }

    TernTopic(Address address) {
        super(address);
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
