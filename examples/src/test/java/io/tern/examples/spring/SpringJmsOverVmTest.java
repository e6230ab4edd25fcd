package io.tern.examples.spring;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;

/** Spring's use of JMS against a broker in this JVM ({@code vm://}). */
class SpringJmsOverVmTest extends SpringJmsContract {

    @Override
    TernConnectionFactory ternFactory(Broker broker) {
        return new TernConnectionFactory(broker.vmUri());
    }

    @Override
    boolean overTcp() {
        return false;
    }
}
