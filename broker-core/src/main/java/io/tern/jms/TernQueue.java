package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.Queue;

/** A queue, named by the application. Create with {@code session.createQueue} or directly. */
public class TernQueue extends TernDestination implements Queue {

    private static final long serialVersionUID = 1L;

    /**
     * @param name the name, optionally followed by consumer options such as
     *             {@code ?consumer.exclusive=true&consumer.prefetchSize=10}
     * @throws IllegalArgumentException when the name or an option is invalid
     */
    public TernQueue(String name) {
        this(DestinationOptions.parse(name));
    }

    private TernQueue(DestinationOptions parsed) {
        super(new Address(Address.Kind.QUEUE, checkName(parsed.name())), parsed.options());
    }

    TernQueue(Address address) {
        super(address);
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
