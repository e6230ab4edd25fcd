package io.tern.examples.spring;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;

/** Spring's use of JMS against a broker over the network ({@code tcp://} on loopback). */
class SpringJmsOverTcpTest extends SpringJmsContract {

    @Override
    TernConnectionFactory ternFactory(Broker broker) {
        return new TernConnectionFactory(broker.transportConnectorUris().get(0));
    }

    @Override
    boolean overTcp() {
        return true;
    }
}
