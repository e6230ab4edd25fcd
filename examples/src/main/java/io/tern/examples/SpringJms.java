package io.tern.examples;

import io.tern.broker.Broker;
import jakarta.jms.ConnectionFactory;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.adapter.MessageListenerAdapter;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tern behind Spring's JMS support, the way most Spring applications use a broker: a
 * {@link CachingConnectionFactory} over Tern's factory, a {@link JmsTemplate} to send and to make a
 * request-reply call, and a {@link DefaultMessageListenerContainer} with a transacted session to consume.
 * A Spring Boot application would declare the same objects as beans; nothing here is specific to Tern
 * except the one line that builds the connection factory.
 *
 * <p>Run it from the repository root with {@code mvn -q -pl examples -am compile -Dexample=SpringJms}.
 */
public final class SpringJms {

    private static final int ORDERS = 3;

    private SpringJms() {
    }

    /** The listener's target: Spring's MessageListenerAdapter calls it with the message body. */
    public static final class PriceService {
        /** Answers a request; the adapter sends the return value to the request's JMSReplyTo. */
        public String handleMessage(String product) {
            return product + " costs 10.25";
        }
    }

    public static void main(String[] args) throws Exception {
        try (Broker broker = Broker.builder().name("spring").persistent(false).build().start()) {
            // The only Tern-specific line: for a broker in another process use "tcp://host:61616".
            ConnectionFactory tern = broker.connectionFactory();
            // Spring caches one connection and its sessions and producers: JmsTemplate opens a session per call.
            CachingConnectionFactory connectionFactory = new CachingConnectionFactory(tern);
            try {
                JmsTemplate template = new JmsTemplate(connectionFactory);
                template.setReceiveTimeout(5_000);

                CountDownLatch processed = new CountDownLatch(ORDERS);
                DefaultMessageListenerContainer orders = new DefaultMessageListenerContainer();
                orders.setConnectionFactory(connectionFactory);
                orders.setDestinationName("orders");
                // Transacted: a listener that throws rolls the message back, and it comes again.
                orders.setSessionTransacted(true);
                orders.setMessageListener((jakarta.jms.MessageListener) message -> {
                    try {
                        System.out.println("Listener got " + message.getBody(String.class));
                    } catch (jakarta.jms.JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    processed.countDown();
                });
                orders.afterPropertiesSet();
                orders.start();

                DefaultMessageListenerContainer prices = new DefaultMessageListenerContainer();
                prices.setConnectionFactory(connectionFactory);
                prices.setDestinationName("prices.requests");
                prices.setMessageListener(new MessageListenerAdapter(new PriceService()));
                prices.afterPropertiesSet();
                prices.start();

                for (int i = 1; i <= ORDERS; i++) {
                    template.convertAndSend("orders", "order #" + i);
                    System.out.println("Sent order #" + i);
                }
                if (!processed.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the listener did not get every order");
                }

                // Request-reply: JmsTemplate sends with a temporary reply queue and waits for the answer.
                jakarta.jms.Message reply = template.sendAndReceive("prices.requests",
                        session -> session.createTextMessage("TERN"));
                System.out.println("Reply: " + (reply == null ? "none" : reply.getBody(String.class)));

                orders.shutdown();
                prices.shutdown();
            } finally {
                connectionFactory.destroy();
            }
        }
        System.out.println("Closed the containers, the connection and the broker.");
    }
}
