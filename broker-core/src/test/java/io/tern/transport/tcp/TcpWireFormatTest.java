package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.FrameType;
import io.tern.protocol.MalformedFrameException;
import io.tern.store.GlobalTransactionId;
import io.tern.transport.TransportUri;
import io.tern.transport.UnknownTransactionException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame codec, the tcp:// options and the mapping of JMS exceptions, each against its specification. */
class TcpWireFormatTest {

    private static final GlobalTransactionId XID = new GlobalTransactionId(3, new byte[] {1, 2}, new byte[0]);

    /** One frame of every type, with fields that exercise nulls, non-ASCII strings and every address kind. */
    private static List<Frame> everyFrame() {
        return List.of(
                new Frame.Hello(1, 2, 30_000, 1 << 20, "br\u00f6ker", null),
                Frame.Heartbeat.INSTANCE,
                new Frame.Error(5, "InvalidDestinationException", null, "no such queue \u20ac"),
                new Frame.Ok(Long.MAX_VALUE),
                new Frame.Deliver(1, 2, 3, new byte[] {9, 8, 7}),
                new Frame.BrowseChunk(6, List.of(new byte[] {1}, new byte[0])),
                new Frame.Prepared(7, true),
                new Frame.PreparedList(8, List.of(XID)),
                new Frame.SetClientId(9, "client"),
                new Frame.Send(10, 11, new byte[] {1, 2, 3}),
                new Frame.CheckDestination(12, Address.queue("q")),
                new Frame.AddConsumer(13, 14, new Address(Address.Kind.TEMP_TOPIC, "t"), "a > 1", true, "sub", true,
                        false, 100, true),
                new Frame.AddCredit(15, 16),
                new Frame.RemoveConsumer(17, 18),
                new Frame.Acknowledge(19, new long[] {1, -1, Long.MIN_VALUE}),
                new Frame.Release(0, new long[] {4}, true),
                new Frame.Commit(20, 21, new long[0]),
                new Frame.Rollback(22, 23, new long[] {5}),
                new Frame.Browse(24, Address.queue("b"), null),
                new Frame.CreateTemporary(25, new Address(Address.Kind.TEMP_QUEUE, "tq")),
                new Frame.DeleteTemporary(26, new Address(Address.Kind.TEMP_QUEUE, "tq")),
                new Frame.Unsubscribe(27, "sub"),
                new Frame.Close(28),
                new Frame.Prepare(29, 30, XID, new long[] {6}),
                new Frame.CommitPrepared(31, XID),
                new Frame.RollbackPrepared(32, XID),
                new Frame.RecoverPrepared(33),
                new Frame.Outcome(34, true),
                new Frame.CommitRecorded(35, 36, "ID:c\u00e9:7", new long[] {8}),
                new Frame.TxOutcome(37, "ID:c\u00e9:7"));
    }

    private static byte[] bytes(Frame frame) {
        return RawPeer.encode(frame);
    }

    private static Frame decode(byte[] encoded) throws MalformedFrameException {
        assertEquals(encoded.length - 4, ((encoded[0] & 0xFF) << 24 | (encoded[1] & 0xFF) << 16
                | (encoded[2] & 0xFF) << 8 | (encoded[3] & 0xFF)), "the length prefix counts what follows it");
        return FrameCodec.decode(Unpooled.wrappedBuffer(encoded, 4, encoded.length - 4));
    }

    @Test
    void everyFrameTypeRoundTrips() throws Exception {
        Set<FrameType> covered = EnumSet.noneOf(FrameType.class);
        for (Frame frame : everyFrame()) {
            byte[] encoded = bytes(frame);
            assertEquals(frame.type().code(), encoded[4] & 0xFF);
            Frame decoded = decode(encoded);
            assertSame(frame.type(), decoded.type());
            assertArrayEquals(encoded, bytes(decoded), "re-encoding gives the same bytes: " + frame.type());
            covered.add(frame.type());
        }
        assertEquals(EnumSet.allOf(FrameType.class), covered);
    }

    @Test
    void fieldsKeepTheirValues() throws Exception {
        Frame.AddConsumer c = (Frame.AddConsumer) decode(bytes(everyFrame().get(11)));
        assertEquals(new Address(Address.Kind.TEMP_TOPIC, "t"), c.address());
        assertEquals("a > 1", c.selector());
        assertTrue(c.noLocal() && c.durable() && !c.shared());
        assertEquals(100, c.prefetch());
        Frame.Hello h = (Frame.Hello) decode(bytes(everyFrame().get(0)));
        assertEquals("br\u00f6ker", h.peerName());
        assertEquals(null, h.connectionId());
        Frame.Acknowledge a = (Frame.Acknowledge) decode(bytes(everyFrame().get(14)));
        assertArrayEquals(new long[] {1, -1, Long.MIN_VALUE}, a.deliveryIds());
        Frame.PreparedList p = (Frame.PreparedList) decode(bytes(everyFrame().get(7)));
        assertEquals(List.of(XID), p.transactions());
    }

    @Test
    void aMessageIsWrappedNotCopied() {
        byte[] message = new byte[1000];
        ByteBuf encoded = FrameCodec.encode(new Frame.Send(1, 0, message), ByteBufAllocator.DEFAULT);
        try {
            message[999] = 42;
            assertEquals(42, encoded.getByte(encoded.writerIndex() - 1), "the frame shares the message's bytes");
        } finally {
            encoded.release();
        }
    }

    @Test
    void malformedFramesAreRefusedWithTheReason() {
        byte[] ack = bytes(new Frame.Acknowledge(1, new long[] {1, 2}));
        assertMalformed(Arrays.copyOf(ack, ack.length - 1), "malformed ACKNOWLEDGE frame");
        byte[] longer = Arrays.copyOf(ack, ack.length + 1);
        assertMalformed(longer, "1 unexpected bytes after the last field");
        byte[] huge = ack.clone();
        huge[4 + 1 + 8] = 0x7F; // the id count
        assertMalformed(huge, "does not fit");
        byte[] unknown = bytes(new Frame.Ok(1));
        unknown[4] = (byte) 99;
        assertMalformed(unknown, "unknown frame type 99");
        byte[] kind = bytes(new Frame.CheckDestination(1, Address.queue("q")));
        kind[4 + 1 + 8] = 9;
        assertMalformed(kind, "unknown kind 9");
        byte[] string = bytes(new Frame.SetClientId(1, "ab"));
        string[string.length - 1] = (byte) 0xC3; // a lone UTF-8 lead byte
        assertMalformed(string, "not valid UTF-8");
        byte[] flags = bytes(everyFrame().get(11));
        int flagsAt = 4 + 1 + 8 + 8 + 1 + 4 + 1 + 4 + 5;
        flags[flagsAt] = (byte) 0x80;
        assertMalformed(flags, "unknown flag bits");
    }

    private static void assertMalformed(byte[] frame, String expected) {
        byte[] fixed = frame.clone();
        int length = fixed.length - 4;
        fixed[0] = (byte) (length >>> 24);
        fixed[1] = (byte) (length >>> 16);
        fixed[2] = (byte) (length >>> 8);
        fixed[3] = (byte) length;
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> decode(fixed));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void optionsAreParsedAndBadOnesNamed() throws Exception {
        TcpSettings s = TcpSettings.forServer(TransportUri.parse("tcp://0.0.0.0:1234?maxFrameSize=1mb"
                + "&inactivityTimeout=0&tcpNoDelay=false&sendBufferSize=64kb&receiveBufferSize=128kb&epoll=false"));
        assertEquals(new TcpSettings("0.0.0.0", 1234, 1 << 20, 0, false, 64 << 10, 128 << 10, false,
                TcpSettings.DEFAULT_CONNECT_TIMEOUT_MILLIS, TcpSettings.DEFAULT_SEND_WINDOW_SIZE), s);
        TcpSettings defaults = TcpSettings.forClient(TransportUri.parse("tcp://[::1]"));
        assertEquals("::1", defaults.host());
        assertEquals(TcpSettings.DEFAULT_PORT, defaults.port());
        assertEquals(FrameCodec.DEFAULT_MAX_FRAME_SIZE, defaults.maxFrameSize());
        assertEquals(30_000, defaults.inactivityTimeoutMillis());
        assertEquals("tcp://[::1]:61616", defaults.address());

        assertBad("tcp://h:1?connectTimeout=5", true, "unknown option 'connectTimeout'");
        assertBad("tcp://h:1?sendWindowSize=5", true, "unknown option 'sendWindowSize'");
        assertEquals(1 << 20,
                TcpSettings.forClient(TransportUri.parse("tcp://h:1?sendWindowSize=1mb")).sendWindowSize());
        assertBad("tcp://h:1?maxFrameSize=huge", false, "maxFrameSize='huge'");
        assertBad("tcp://h:1?inactivityTimeout=-1", false, "inactivityTimeout='-1'");
        assertBad("tcp://h:1?epoll=maybe", false, "epoll='maybe'");
        assertBad("tcp://h:0", false, "a client needs the broker's port");
        assertBad("tcp://h:1/path", true, "not of the form host:port");
    }

    private static void assertBad(String uri, boolean server, String expected) throws JMSException {
        TransportUri parsed = TransportUri.parse(uri);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> {
                    if (server) {
                        TcpSettings.forServer(parsed);
                    } else {
                        TcpSettings.forClient(parsed);
                    }
                });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aBrokerWithABadConnectorIsNotBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.tern.broker.Broker.builder().transportConnector("tcp://0.0.0.0:0?maxFrameSize=0").build());
        assertTrue(e.getMessage().startsWith("broker.transportConnectors: "), e.getMessage());
        assertTrue(e.getMessage().contains("maxFrameSize='0'"), e.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> io.tern.broker.Broker.builder().transportConnector("udp://0.0.0.0:1").build());
        assertTrue(scheme.getMessage().contains("tcp:// or vm://"), scheme.getMessage());
    }

    @Test
    void everyJmsExceptionCrossesTheWireAsItsOwnClass() {
        List<JMSException> all = List.of(new JMSException("m", "c"), new IllegalStateException("m", "c"),
                new InvalidClientIDException("m", "c"), new InvalidDestinationException("m", "c"),
                new InvalidSelectorException("m", "c"), new JMSSecurityException("m", "c"),
                new MessageEOFException("m", "c"), new MessageFormatException("m", "c"),
                new MessageNotReadableException("m", "c"), new MessageNotWriteableException("m", "c"),
                new ResourceAllocationException("m", "c"), new TransactionInProgressException("m", "c"),
                new TransactionRolledBackException("m", "c"));
        for (JMSException original : all) {
            Frame.Error frame = (Frame.Error) wire(JmsErrors.toFrame(4, original));
            JMSException rebuilt = JmsErrors.toException(frame);
            assertSame(original.getClass(), rebuilt.getClass());
            assertEquals("m", rebuilt.getMessage());
            assertEquals("c", rebuilt.getErrorCode());
        }
        JMSException unknownTx = JmsErrors.toException((Frame.Error) wire(JmsErrors.toFrame(1,
                new UnknownTransactionException("gone"))));
        assertSame(UnknownTransactionException.class, unknownTx.getClass());
    }

    @Test
    void otherFailuresCrossAsJmsExceptionsThatNameThem() {
        class CustomDestinationProblem extends InvalidDestinationException {
            CustomDestinationProblem() {
                super("custom");
            }
        }
        assertSame(InvalidDestinationException.class,
                JmsErrors.toException(JmsErrors.toFrame(1, new CustomDestinationProblem())).getClass());
        JMSException bug = JmsErrors.toException(JmsErrors.toFrame(1, new NullPointerException("boom")));
        assertSame(JMSException.class, bug.getClass());
        assertTrue(bug.getMessage().contains("java.lang.NullPointerException: boom"), bug.getMessage());
        JMSException future = JmsErrors.toException(new Frame.Error(1, "SomeFutureException", null, "later"));
        assertSame(JMSException.class, future.getClass());
        assertTrue(future.getMessage().contains("SomeFutureException"), future.getMessage());
    }

    private static Frame wire(Frame frame) {
        try {
            return decode(bytes(frame));
        } catch (MalformedFrameException e) {
            throw new AssertionError(e);
        }
    }
}
