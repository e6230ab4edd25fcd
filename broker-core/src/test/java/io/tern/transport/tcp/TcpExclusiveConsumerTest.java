package io.tern.transport.tcp;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The exclusive-consumer option crosses the wire: the first exclusive consumer gets every message. */
class TcpExclusiveConsumerTest {

    @Test
    void anExclusiveConsumerOverTcpGetsEveryMessage() throws Exception {
        try (Broker broker = TcpTestSupport.startBroker("tcp-exclusive", "");
             Connection c = TcpTestSupport.factory(broker, "").createConnection()) {
            c.start();
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer first = s1.createConsumer(s1.createQueue("work?consumer.exclusive=true"));
            MessageConsumer second = s2.createConsumer(s2.createQueue("work?consumer.exclusive=true"));
            MessageProducer p = s1.createProducer(s1.createQueue("work"));
            for (int i = 0; i < 5; i++) {
                p.send(s1.createTextMessage("m" + i));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, ((TextMessage) first.receive(TcpTestSupport.RECEIVE_TIMEOUT)).getText());
            }
            assertNull(second.receive(TcpTestSupport.ABSENT_TIMEOUT));
        }
    }
}
