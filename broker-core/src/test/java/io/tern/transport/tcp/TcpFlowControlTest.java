package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.broker.FlowControl;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producer flow control over one connection: sends held back by the broker never stop the acknowledgements
 * and credit of the same connection (which may be what frees the memory), and the client's send window
 * bounds what waits at the broker.
 */
class TcpFlowControlTest {

    private static Broker smallBroker(String prefix) {
        return TcpTestSupport.startBroker(Broker.builder().name(TcpTestSupport.uniqueName(prefix)).persistent(false)
                .memoryLimit(256 * 1024).flowControl(FlowControl.BLOCK), "");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void asyncSendsHeldBackDoNotStarveTheConsumerOfTheSameConnection() throws Exception {
        try (Broker broker = smallBroker("flow-shared")) {
            int total = 3000;
            try (Connection c = TcpTestSupport.factory(broker, "sendWindowSize=256kb").createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("shared"));
                p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                Session rs = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = rs.createConsumer(rs.createQueue("shared"));
                CompletableFuture<List<Integer>> received = CompletableFuture.supplyAsync(() -> {
                    List<Integer> order = new ArrayList<>();
                    try {
                        for (int k = 0; k < total; k++) {
                            Message m = consumer.receive(RECEIVE_TIMEOUT);
                            if (m == null) {
                                break;
                            }
                            order.add(m.getIntProperty("i"));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return order;
                });
                AtomicInteger completed = new AtomicInteger();
                AtomicReference<Exception> failure = new AtomicReference<>();
                CompletionListener listener = new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        completed.incrementAndGet();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failure.set(exception);
                    }
                };
                for (int i = 0; i < total; i++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(new byte[1024]);
                    m.setIntProperty("i", i);
                    p.send(m, listener);
                }
                List<Integer> order = received.get(RECEIVE_TIMEOUT * 3, TimeUnit.MILLISECONDS);
                assertEquals(total, order.size(), "every message got through the full broker");
                for (int k = 0; k < total; k++) {
                    assertEquals(k, order.get(k));
                }
                TcpTestSupport.await("every completion", () -> completed.get() == total);
                assertNull(failure.get());
            }
        }
    }

    @Test
    void aClientThatIgnoresReceiptsIsStoppedAtTheLimit() throws Exception {
        try (Broker broker = smallBroker("flow-ignored")) {
            byte[] message = MessageCodec.encode(MessageSnapshot.builder().destination(Address.queue("flooded"))
                    .deliveryMode(DeliveryMode.NON_PERSISTENT)
                    .body(MessageSnapshot.BodyType.BYTES, new byte[1 << 20]).build());
            try (RawPeer peer = RawPeer.connect(TcpTestSupport.port(broker))) {
                peer.handshake();
                // Read while writing, and near the limit write one send at a time: once the broker has closed
                // the connection, more writes would only reset it, and the Error with it.
                CompletableFuture<Frame.Error> error = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peer.expectErrorAndClose();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                int atLimit = (int) (CommandDispatcher.MAX_UNRECEIPTED_SEND_BYTES / message.length);
                for (int i = 1; i <= atLimit + 16 && !error.isDone(); i++) {
                    peer.send(new Frame.Send(i, 0, message));
                    if (i >= atLimit - 2) {
                        try {
                            error.get(100, TimeUnit.MILLISECONDS);
                        } catch (java.util.concurrent.TimeoutException notYet) {
                            // the broker took this one in: send another
                        }
                    }
                }
                assertTrue(error.get(RECEIVE_TIMEOUT, TimeUnit.MILLISECONDS).message()
                        .contains("wait for their receipts"));
            }
            TcpTestSupport.await("the connection to be cleaned up", () -> broker.connectionCount() == 0);
        }
    }
}
