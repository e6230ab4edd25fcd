package io.tern.benchmarks.scenario;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/** A queue or topic by name, resolved through whichever session needs it. */
record DestinationName(String name, boolean topic) {

    static DestinationName queue(String name) {
        return new DestinationName(name, false);
    }

    static DestinationName topic(String name) {
        return new DestinationName(name, true);
    }

    Destination in(Session session) throws JMSException {
        return topic ? session.createTopic(name) : session.createQueue(name);
    }
}
