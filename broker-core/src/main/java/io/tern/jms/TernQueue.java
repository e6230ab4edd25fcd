package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.Queue;

/** A queue, named by the application. Create with {@code session.createQueue} or directly. */
public class TernQueue extends TernDestination implements Queue {

    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException when the name is invalid (see {@link Address#invalidNameReason}) */
    public TernQueue(String name) {
        this(new Address(Address.Kind.QUEUE, checkName(name)));
    }

    TernQueue(Address address) {
        super(address);
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
