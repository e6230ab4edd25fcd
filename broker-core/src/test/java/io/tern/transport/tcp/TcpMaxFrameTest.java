package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The maximum frame size: a larger frame closes its own connection only, with the reason given and logged. */
class TcpMaxFrameTest {

    private static final int MAX = 64 * 1024;

    private Broker broker;

    @BeforeEach
    void start() {
        broker = TcpTestSupport.startBroker("maxframe", "maxFrameSize=64kb");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** A SEND frame whose length field is exactly {@code frameLength}. */
    private static byte[] sendFrameOfLength(int frameLength) {
        for (int body = frameLength - 100; body < frameLength; body++) {
            byte[] message = MessageCodec.encode(MessageSnapshot.builder().destination(Address.queue("exact"))
                    .deliveryMode(DeliveryMode.NON_PERSISTENT).body(MessageSnapshot.BodyType.BYTES, new byte[body])
                    .build());
            byte[] frame = RawPeer.encode(new Frame.Send(1, 0, message));
            if (frame.length - 4 == frameLength) {
                return frame;
            }
        }
        throw new AssertionError("no message makes a frame of exactly " + frameLength + " bytes");
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAcceptedAndOneMoreByteClosesOnlyItsConnection() throws Exception {
        try (Connection bystander = TcpTestSupport.factory(broker).createConnection()) {
            bystander.start();
            Session s = bystander.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("bystander");
            MessageConsumer consumer = s.createConsumer(q);
            MessageProducer producer = s.createProducer(q);
            try (RawPeer peer = RawPeer.connect(TcpTestSupport.port(broker))) {
                peer.handshake();
                peer.sendRaw(sendFrameOfLength(MAX));
                assertEquals(new Frame.Ok(1), peer.readReply());
                peer.sendRaw(sendFrameOfLength(MAX + 1));
                Frame.Error error = peer.expectErrorAndClose();
                assertEquals("frame of " + (MAX + 1) + " bytes exceeds maxFrameSize " + MAX, error.message());
            }
            producer.send(s.createTextMessage("unaffected"));
            assertNotNull(consumer.receive(10_000));
            assertEquals(1, broker.queueDepth("exact"));
        }
    }

    @Test
    void aHugeDeclaredLengthIsRefusedBeforeAnyOfItArrives() throws Exception {
        try (RawPeer peer = RawPeer.connect(TcpTestSupport.port(broker))) {
            peer.handshake();
            peer.sendRaw(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array());
            Frame.Error error = peer.expectErrorAndClose();
            assertTrue(error.message().contains("exceeds maxFrameSize"), error.message());
        }
    }

    @Test
    void aZeroOrNegativeLengthIsRefused() throws Exception {
        for (int length : new int[] {0, -1, Integer.MIN_VALUE}) {
            try (RawPeer peer = RawPeer.connect(TcpTestSupport.port(broker))) {
                peer.handshake();
                peer.sendRaw(ByteBuffer.allocate(4).putInt(length).array());
                Frame.Error error = peer.expectErrorAndClose();
                assertTrue(error.message().contains("frame length " + length + " is invalid"), error.message());
            }
        }
    }

    @Test
    void theClientRefusesToSendAMessageTheBrokerWouldNotAcceptAndCarriesOn() throws Exception {
        try (Connection c = TcpTestSupport.factory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("sized");
            MessageProducer p = s.createProducer(q);
            BytesMessage tooLarge = s.createBytesMessage();
            tooLarge.writeBytes(new byte[MAX]);
            JMSException e = assertThrows(JMSException.class, () -> p.send(tooLarge));
            assertTrue(e.getMessage().contains("maxFrameSize " + MAX), e.getMessage());
            BytesMessage fits = s.createBytesMessage();
            fits.writeBytes(new byte[MAX / 2]);
            p.send(fits);
            BytesMessage got = (BytesMessage) s.createConsumer(q).receive(10_000);
            assertNotNull(got);
            assertEquals(MAX / 2, got.getBodyLength());
        }
    }
}
