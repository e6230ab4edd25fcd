package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.jms.TernConnectionFactory;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version handshake: both sides refuse what they do not speak, with an error that says why. */
class TcpHandshakeTest {

    private Broker broker;

    @BeforeEach
    void start() {
        broker = TcpTestSupport.startBroker("handshake", "inactivityTimeout=2000");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawPeer raw() throws IOException {
        return RawPeer.connect(TcpTestSupport.port(broker));
    }

    /** The broker still serves a normal client. */
    private void assertBrokerServes() throws JMSException {
        try (Connection c = TcpTestSupport.factory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("after");
            s.createProducer(q).send(s.createTextMessage("still serving"));
            assertEquals("still serving", ((TextMessage) s.createConsumer(q).receive(10_000)).getText());
        }
    }

    @Test
    void theBrokerAnswersAHelloWithItsOwn() throws Exception {
        try (RawPeer peer = raw()) {
            Frame.Hello hello = peer.handshake();
            assertEquals(FrameCodec.MAJOR_VERSION, hello.majorVersion());
            assertEquals(broker.name(), hello.peerName());
            assertEquals(2000, hello.inactivityTimeoutMillis());
            assertEquals(FrameCodec.DEFAULT_MAX_FRAME_SIZE, hello.maxFrameSize());
            assertTrue(hello.connectionId().startsWith("ID:"), hello.connectionId());
            peer.send(new Frame.CheckDestination(7, Address.queue("q")));
            assertEquals(new Frame.Ok(7), peer.readReply());
            peer.send(new Frame.Close(8));
            assertEquals(new Frame.Ok(8), peer.readReply());
            peer.expectEnd();
        }
    }

    @Test
    void aWrongMagicIsRefused() throws Exception {
        byte[] hello = RawPeer.encode(RawPeer.clientHello(0));
        System.arraycopy("HTTP".getBytes(StandardCharsets.US_ASCII), 0, hello, 5, 4);
        try (RawPeer peer = raw()) {
            peer.sendRaw(hello);
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("magic") && error.message().contains("Tern protocol"),
                    error.message());
        }
        assertBrokerServes();
    }

    @Test
    void anUnknownMajorVersionIsRefused() throws Exception {
        try (RawPeer peer = raw()) {
            peer.send(new Frame.Hello(FrameCodec.MAJOR_VERSION + 1, 3, 0, 1 << 20, "from the future", null));
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("unsupported protocol version 2.3"), error.message());
            assertTrue(error.message().contains("speaks version 1.x"), error.message());
        }
        assertBrokerServes();
    }

    @Test
    void aNewerMinorVersionIsServed() throws Exception {
        try (RawPeer peer = raw()) {
            peer.send(new Frame.Hello(FrameCodec.MAJOR_VERSION, FrameCodec.MINOR_VERSION + 5, 0, 1 << 20, "newer", null));
            assertInstanceOf(Frame.Hello.class, peer.read());
        }
    }

    @Test
    void anotherProtocolIsFoundOutAtItsFirstBytes() throws Exception {
        try (RawPeer peer = raw()) {
            peer.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("does not speak the Tern protocol"), error.message());
            assertTrue(error.message().contains("47455420"), "shows the first bytes: " + error.message());
        }
        assertBrokerServes();
    }

    @Test
    void aCommandBeforeTheHelloIsRefused() throws Exception {
        try (RawPeer peer = raw()) {
            peer.send(new Frame.CheckDestination(1, Address.queue("q")));
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("first frame must be HELLO"), error.message());
        }
    }

    @Test
    void aSecondHelloBreaksTheProtocol() throws Exception {
        try (RawPeer peer = raw()) {
            peer.handshake();
            peer.send(RawPeer.clientHello(0));
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("may not send HELLO"), error.message());
        }
    }

    @Test
    void aPeerThatNeverSaysHelloIsClosed() throws Exception {
        try (RawPeer peer = raw()) {
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("no HELLO within 2000 ms"), error.message());
        }
    }

    @Test
    void aBrokerThatIsStillStartingRefusesAtOnceWithTheReason() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        SlowStartingStore store = new SlowStartingStore();
        Broker starting = Broker.builder().name(TcpTestSupport.uniqueName("starting")).store(store)
                .transportConnector("tcp://127.0.0.1:" + port).build();
        CompletableFuture<Broker> started = CompletableFuture.supplyAsync(starting::start);
        try {
            store.awaitStarting();
            TernConnectionFactory factory = new TernConnectionFactory("tcp://127.0.0.1:" + port);
            JMSException e = assertThrows(JMSException.class, factory::createConnection);
            assertTrue(e.getMessage().contains("is not running"), e.getMessage());
            store.activate();
            started.get();
            try (Connection c = factory.createConnection()) {
                c.start();
                c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("served");
            }
        } finally {
            store.activate();
            started.get().close();
        }
    }

    @Test
    void theClientRefusesABrokerOfAnotherMajorVersion() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Frame> clientSaid = CompletableFuture.supplyAsync(() -> {
                try (Socket s = fake.accept(); RawPeer broker = new RawPeer(s)) {
                    assertInstanceOf(Frame.Hello.class, broker.read());
                    broker.send(new Frame.Hello(2, 0, 0, 1 << 20, "future-broker", "ID:x"));
                    return broker.read();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            JMSException e = assertThrows(JMSException.class,
                    () -> new TernConnectionFactory("tcp://127.0.0.1:" + fake.getLocalPort()).createConnection());
            assertTrue(e.getMessage().contains("speaks protocol version 2.0"), e.getMessage());
            Frame.Error told = assertInstanceOf(Frame.Error.class, clientSaid.get());
            assertTrue(told.message().contains("this client speaks 1.x"), told.message());
        }
    }

    @Test
    void theClientGivesUpOnABrokerThatDoesNotAnswer() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            JMSException e = assertThrows(JMSException.class, () -> new TernConnectionFactory("tcp://127.0.0.1:"
                    + fake.getLocalPort() + "?connectTimeout=300").createConnection());
            assertTrue(e.getMessage().contains("did not complete the handshake within 300 ms"), e.getMessage());
        }
    }
}
