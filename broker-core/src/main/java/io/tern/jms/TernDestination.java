package io.tern.jms;

import io.tern.protocol.Address;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;

import java.io.Serializable;
import java.util.Map;

/**
 * Tern's destinations. Immutable and serializable (they travel in JNDI and JMSReplyTo); two
 * destinations are equal when their kind and name are.
 */
public abstract class TernDestination implements Destination, Serializable {

    private static final long serialVersionUID = 1L;

    private final Address address;
    private final Map<String, String> consumerOptions;

    TernDestination(Address address) {
        this(address, Map.of());
    }

    TernDestination(Address address, Map<String, String> consumerOptions) {
        this.address = address;
        this.consumerOptions = Map.copyOf(consumerOptions);
    }

    /** Options for consumers created on this destination object (see {@link DestinationOptions}). */
    DestinationOptions consumerOptions() {
        return new DestinationOptions(address.name(), consumerOptions);
    }

    public Address address() {
        return address;
    }

    public String name() {
        return address.name();
    }

    /** The destination object of an address, as a consumer or a JMSReplyTo sees it. */
    public static TernDestination of(Address address) {
        if (address == null) {
            return null;
        }
        return switch (address.kind()) {
            // The broker's addresses are valid already: no parsing of options, no name checks per message.
            case QUEUE -> new TernQueue(address);
            case TOPIC -> new TernTopic(address);
            case TEMP_QUEUE -> new TernTemporaryQueue(address.name(), null);
            case TEMP_TOPIC -> new TernTemporaryTopic(address.name(), null);
        };
    }

    /**
     * The Tern destination for any {@code jakarta.jms.Destination}: ours as they are, a foreign queue or
     * topic by its name.
     */
    public static TernDestination from(Destination destination) throws InvalidDestinationException {
        if (destination == null) {
            throw new InvalidDestinationException("destination is null");
        }
        if (destination instanceof TernDestination d) {
            return d;
        }
        try {
            if (destination instanceof jakarta.jms.Queue q) {
                return new TernQueue(q.getQueueName());
            }
            if (destination instanceof jakarta.jms.Topic t) {
                return new TernTopic(t.getTopicName());
            }
        } catch (jakarta.jms.JMSException e) {
            InvalidDestinationException ide = new InvalidDestinationException(
                    "cannot read the name of destination " + destination + ": " + e.getMessage());
            ide.initCause(e);
            throw ide;
        }
        throw new InvalidDestinationException("unsupported destination " + destination.getClass().getName()
                + ": neither a Queue nor a Topic");
    }

    static String checkName(String name) {
        String reason = Address.invalidNameReason(name);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernDestination other && address.equals(other.address);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
