package io.tern.jms;

import io.tern.broker.Broker;
import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message and completion listeners of a JMSContext, and what they may not do to their own context. */
class JmsContextListenerTest {

    private Broker broker;
    private TernConnectionFactory factory;

    @BeforeEach
    void startBroker(TestInfo test) {
        String name = "jmsctx-listener-" + test.getTestMethod().orElseThrow().getName();
        broker = TestTransport.brokerBuilder().name(name).persistent(false).build().start();
        factory = TestTransport.connectionFactory(broker);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void messageListenerReceivesInOrder() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("listened");
            BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
            JMSConsumer consumer = context.createConsumer(queue);
            jakarta.jms.MessageListener listener = m -> bodies.add(bodyOf(m));
            consumer.setMessageListener(listener);
            assertSame(listener, consumer.getMessageListener());
            for (int i = 0; i < 5; i++) {
                context.createProducer().send(queue, "m" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, bodies.poll(5, TimeUnit.SECONDS));
            }
            consumer.setMessageListener(null);
            assertNull(consumer.getMessageListener());
        }
        assertEquals(0, broker.queueDepth("listened"));
    }

    @Test
    void messageListenerMustNotCloseItsOwnContext() throws Exception {
        JMSContext context = factory.createContext();
        Queue queue = context.createQueue("self-close");
        CompletableFuture<RuntimeException> outcome = new CompletableFuture<>();
        context.createConsumer(queue).setMessageListener(m -> {
            try {
                context.close();
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        context.createProducer().send(queue, "close yourself");
        assertInstanceOf(IllegalStateRuntimeException.class, outcome.get(5, TimeUnit.SECONDS));
        context.close(); // from the application thread it works
        assertTrue(awaitConnections(0));
    }

    @Test
    void messageListenerMayCloseAnotherContextOfTheConnection() throws Exception {
        JMSContext context = factory.createContext();
        JMSContext sibling = context.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        sibling.createProducer(); // give the sibling a session
        Queue queue = context.createQueue("other-close");
        CompletableFuture<RuntimeException> outcome = new CompletableFuture<>();
        context.createConsumer(queue).setMessageListener(m -> {
            try {
                sibling.close();
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        context.createProducer().send(queue, "close your sibling");
        assertNull(outcome.get(5, TimeUnit.SECONDS));
        context.close();
        assertTrue(awaitConnections(0));
    }

    @Test
    void messageListenerMayCloseItsOwnConsumer() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue queue = context.createQueue("consumer-close");
            CompletableFuture<RuntimeException> outcome = new CompletableFuture<>();
            JMSConsumer consumer = context.createConsumer(queue);
            consumer.setMessageListener(m -> {
                try {
                    consumer.close();
                    outcome.complete(null);
                } catch (RuntimeException e) {
                    outcome.complete(e);
                }
            });
            context.createProducer().send(queue, "one");
            assertNull(outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForTheRunningListener() throws Exception {
        JMSContext context = factory.createContext();
        Queue queue = context.createQueue("slow");
        CountDownLatch inListener = new CountDownLatch(1);
        List<String> finished = new CopyOnWriteArrayList<>();
        context.createConsumer(queue).setMessageListener(m -> {
            inListener.countDown();
            sleep(300);
            finished.add("listener");
        });
        context.createProducer().send(queue, "slow");
        assertTrue(inListener.await(5, TimeUnit.SECONDS));
        context.close();
        finished.add("close");
        assertEquals(List.of("listener", "close"), finished);
    }

    @Test
    void completionListenerMustNotCloseCommitOrRollBackItsOwnContext() throws Exception {
        JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED);
        Queue queue = context.createQueue("completion");
        BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                for (Runnable forbidden : new Runnable[] {context::close, context::commit, context::rollback}) {
                    try {
                        forbidden.run();
                        outcomes.add("allowed");
                    } catch (RuntimeException e) {
                        outcomes.add(e);
                    }
                }
            }

            @Override
            public void onException(Message message, Exception exception) {
                outcomes.add(exception);
            }
        };
        context.createProducer().setAsync(listener).send(queue, "async");
        for (int i = 0; i < 3; i++) {
            Object outcome = outcomes.poll(5, TimeUnit.SECONDS);
            assertNotNull(outcome);
            assertInstanceOf(IllegalStateRuntimeException.class, outcome, String.valueOf(outcome));
        }
        context.commit(); // the application thread may; the context is still open
        context.close();
        try (JMSContext reader = factory.createContext()) {
            assertEquals("async", reader.createConsumer(queue).receiveBody(String.class, 2000));
        }
    }

    private static String bodyOf(Message m) {
        try {
            return m.getBody(String.class);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitConnections(int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.connectionCount() != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return broker.connectionCount() == expected;
    }
}
