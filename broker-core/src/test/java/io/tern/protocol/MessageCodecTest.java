package io.tern.protocol;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.DeliveryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.tern.store.MessageSnapshotAssertions.assertSnapshotEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MessageCodecTest {

    /** Every value type a property may hold, with edge values, and a null. */
    private static Map<String, Object> allPropertyValues() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("t", true);
        p.put("f", false);
        p.put("b", Byte.MIN_VALUE);
        p.put("s", Short.MIN_VALUE);
        p.put("i", Integer.MIN_VALUE);
        p.put("iMax", Integer.MAX_VALUE);
        p.put("iNeg", -1);
        p.put("l", Long.MIN_VALUE);
        p.put("lMax", Long.MAX_VALUE);
        p.put("fl", -0.0f);
        p.put("flNaN", Float.NaN);
        p.put("d", Double.MAX_VALUE);
        p.put("dInf", Double.NEGATIVE_INFINITY);
        p.put("str", "héllo \u20ac \ud83d\ude00");
        p.put("empty", "");
        p.put("nul", null);
        return p;
    }

    /** Every value type a map or stream body may hold: the property types, char and byte[]. */
    private static Map<String, Object> allBodyValues() {
        Map<String, Object> m = allPropertyValues();
        m.put("c", '\uffff');
        m.put("c0", '\u0000');
        m.put("bytes", new byte[] {0, -1, 127, -128});
        m.put("noBytes", new byte[0]);
        return m;
    }

    private static MessageSnapshot.Builder fullHeaders() {
        return MessageSnapshot.builder()
                .messageId("ID:producer-1:42")
                .timestamp(1_700_000_000_000L)
                .correlationId("corr-\u00e9")
                .correlationIdBytes(new byte[] {1, (byte) 0xFF})
                .replyTo(new Address(Address.Kind.TEMP_QUEUE, "tmp.1"))
                .destination(Address.topic("prices.eu"))
                .type("PriceUpdate")
                .deliveryMode(DeliveryMode.NON_PERSISTENT)
                .expiration(Long.MAX_VALUE)
                .priority(9)
                .deliveryTime(-5)
                .producerId("producer-1")
                .producerSequence(Long.MIN_VALUE)
                .properties(allPropertyValues());
    }

    static Stream<MessageSnapshot> snapshots() {
        byte[] large = new byte[300_000];
        new Random(1).nextBytes(large);
        List<Object> stream = new ArrayList<>(allBodyValues().values());
        stream.add(null);
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            every.append(c);
        }
        every.append(Character.MAX_VALUE).append('\udc00').append('\ud800'); // unpaired surrogates too
        return Stream.of(
                MessageSnapshot.builder().build(),
                fullHeaders().build(),
                fullHeaders().body(BodyType.TEXT, "hello").build(),
                fullHeaders().body(BodyType.TEXT, every.toString()).build(),
                fullHeaders().body(BodyType.TEXT, "").build(),
                fullHeaders().body(BodyType.TEXT, null).build(),
                fullHeaders().body(BodyType.BYTES, large).build(),
                fullHeaders().body(BodyType.BYTES, new byte[0]).build(),
                fullHeaders().body(BodyType.BYTES, null).build(),
                fullHeaders().body(BodyType.MAP, Collections.unmodifiableMap(allBodyValues())).build(),
                fullHeaders().body(BodyType.MAP, Map.of()).build(),
                fullHeaders().body(BodyType.MAP, null).build(),
                fullHeaders().body(BodyType.STREAM, Collections.unmodifiableList(stream)).build(),
                fullHeaders().body(BodyType.STREAM, List.of()).build(),
                fullHeaders().body(BodyType.STREAM, null).build(),
                fullHeaders().body(BodyType.OBJECT, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}).build(),
                fullHeaders().body(BodyType.OBJECT, null).build());
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void roundTrip(MessageSnapshot original) throws Exception {
        byte[] encoded = MessageCodec.encode(original);
        assertEquals(MessageCodec.FORMAT_VERSION, encoded[0]);
        MessageSnapshot decoded = MessageCodec.decode(encoded.clone());
        assertSnapshotEquals(original, decoded);
        if (original.body() instanceof Map<?, ?> map) {
            assertEquals(new ArrayList<>(map.keySet()), new ArrayList<>(((Map<?, ?>) decoded.body()).keySet()));
        }
        assertArrayEquals(encoded, MessageCodec.encode(decoded), "the encoding is deterministic");
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void decodedBodiesAreUnmodifiable(MessageSnapshot original) throws Exception {
        MessageSnapshot decoded = MessageCodec.decode(MessageCodec.encode(original));
        assertThrows(UnsupportedOperationException.class, () -> decoded.properties().put("x", 1));
        if (decoded.body() instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) map;
            assertThrows(UnsupportedOperationException.class, () -> m.put("x", 1));
        }
        if (decoded.body() instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) list;
            assertThrows(UnsupportedOperationException.class, () -> l.add(1));
        }
    }

    @Test
    void encodesOnceAndCachesTheEncoding() throws Exception {
        MessageSnapshot s = fullHeaders().body(BodyType.TEXT, "x").build();
        assertNull(s.cachedEncoding());
        byte[] first = MessageCodec.encode(s);
        assertSame(first, s.cachedEncoding());
        assertSame(first, MessageCodec.encode(s));
        byte[] bytes = first.clone();
        MessageSnapshot decoded = MessageCodec.decode(bytes);
        assertSame(bytes, decoded.cachedEncoding(), "decoding a whole array keeps it as the encoding");
        assertSame(bytes, MessageCodec.encode(decoded));
    }

    @Test
    void decodesASliceOfALargerBuffer() throws Exception {
        MessageSnapshot s = fullHeaders().body(BodyType.TEXT, "sliced").build();
        byte[] encoded = MessageCodec.encode(s);
        byte[] frame = new byte[encoded.length + 10];
        Arrays.fill(frame, (byte) 0x7F);
        System.arraycopy(encoded, 0, frame, 7, encoded.length);
        MessageSnapshot decoded = MessageCodec.decode(frame, 7, encoded.length);
        assertSnapshotEquals(s, decoded);
        assertNull(decoded.cachedEncoding());
        assertThrows(IndexOutOfBoundsException.class, () -> MessageCodec.decode(frame, 7, frame.length));
    }

    @Test
    void smallMessagesEncodeCompactly() {
        MessageSnapshot s = MessageSnapshot.builder()
                .messageId("ID:p-1:1").timestamp(1_700_000_000_000L).destination(Address.queue("orders"))
                .producerId("p-1").producerSequence(1)
                .properties(Map.of("n", 1)).body(BodyType.TEXT, "hi").build();
        assertTrue(MessageCodec.encode(s).length < 60, "was " + MessageCodec.encode(s).length + " bytes");
    }

    @Test
    void valuesOfOtherTypesCannotBeEncoded() {
        MessageSnapshot s = MessageSnapshot.builder().properties(Map.of("x", new Object())).build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(s));
        MessageSnapshot list = MessageSnapshot.builder().body(BodyType.STREAM, List.of(List.of())).build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(list));
        MessageSnapshot plain = MessageSnapshot.builder().body(BodyType.MESSAGE, "body").build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(plain));
        MessageSnapshot text = MessageSnapshot.builder().body(BodyType.TEXT, new byte[1]).build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(text));
        MessageSnapshot map = MessageSnapshot.builder().body(BodyType.MAP, Map.of(1, 2)).build();
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(map));
    }

    // ---- malformed input ----

    private static MalformedMessageException malformed(byte[] bytes) {
        return assertThrows(MalformedMessageException.class, () -> MessageCodec.decode(bytes));
    }

    @Test
    void emptyInput() {
        assertTrue(malformed(new byte[0]).getMessage().contains("truncated"));
    }

    @Test
    void unknownVersions() {
        for (int version : new int[] {0, 2, 255}) {
            byte[] bytes = MessageCodec.encode(fullHeaders().build()).clone();
            bytes[0] = (byte) version;
            String message = malformed(bytes).getMessage();
            assertTrue(message.contains("unsupported message format version " + version), message);
        }
    }

    @Test
    void everyTruncationIsDetected() {
        MessageSnapshot s = fullHeaders().body(BodyType.MAP, Collections.unmodifiableMap(allBodyValues())).build();
        byte[] encoded = MessageCodec.encode(s);
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(MalformedMessageException.class, () -> MessageCodec.decode(prefix), "prefix of " + length);
        }
    }

    @Test
    void trailingBytesAreDetected() {
        byte[] encoded = MessageCodec.encode(fullHeaders().build());
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertTrue(malformed(longer).getMessage().contains("after the body"));
    }

    /** A hand-built encoding: version, empty headers, then what the test appends. */
    private static ByteArrayOutputStream headersWithoutProperties() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MessageCodec.FORMAT_VERSION);
        out.write(0); // messageId null
        out.write(0); // timestamp
        out.write(0); // correlationId
        out.write(0); // correlationIdBytes
        out.write(0); // replyTo
        out.write(0); // destination
        out.write(0); // type
        out.write(4); // deliveryMode 2, zigzag
        out.write(0); // expiration
        out.write(8); // priority 4
        out.write(0); // deliveryTime
        out.write(0); // producerId
        out.write(0); // producerSequence
        return out;
    }

    private static byte[] with(ByteArrayOutputStream prefix, int... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.toByteArray());
        for (int b : rest) {
            out.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void theHandBuiltEncodingIsValid() throws Exception {
        MessageSnapshot s = MessageCodec.decode(with(headersWithoutProperties(), 0, 0));
        assertEquals(DeliveryMode.PERSISTENT, s.deliveryMode());
        assertEquals(4, s.priority());
        assertEquals(BodyType.MESSAGE, s.bodyType());
    }

    @Test
    void bogusLengthsFailBeforeAllocating() {
        // a text body whose length says 2^31 - 2 bytes
        byte[] text = with(headersWithoutProperties(), 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 'a');
        assertTrue(malformed(text).getMessage().contains("bytes left"), malformed(text).getMessage());
        // a bytes body of 1000 bytes with 3 present
        malformed(with(headersWithoutProperties(), 0, 2, 0xE9, 0x07, 1, 2, 3));
        // a property count of 2^31 - 1
        malformed(with(headersWithoutProperties(), 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0));
        // a map body of a million entries
        malformed(with(headersWithoutProperties(), 0, 3, 0xC1, 0x84, 0x3D, 1, 'a', 0));
        // a stream body of 100 fields with 2 present
        malformed(with(headersWithoutProperties(), 0, 4, 101, 0, 0));
    }

    @Test
    void varintsLongerThanTheirTypeAreRefused() {
        String message = malformed(with(headersWithoutProperties(), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0)).getMessage();
        assertTrue(message.contains("varint"), message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MessageCodec.FORMAT_VERSION);
        out.write(0);
        for (int i = 0; i < 11; i++) {
            out.write(0xFF); // an 11-byte timestamp
        }
        out.write(0);
        malformed(out.toByteArray());
    }

    @Test
    void unknownTagsAndKinds() {
        assertTrue(malformed(with(headersWithoutProperties(), 1, 2, 'p', 12)).getMessage().contains("unknown value tag 12"));
        assertTrue(malformed(with(headersWithoutProperties(), 0, 6)).getMessage().contains("unknown body type 6"));
        byte[] badKind = MessageCodec.encode(MessageSnapshot.builder().replyTo(Address.queue("q")).build()).clone();
        badKind[5] = 9; // version, messageId, timestamp, correlationId, correlationIdBytes, then replyTo kind
        assertTrue(malformed(badKind).getMessage().contains("unknown destination kind 9"));
    }

    @Test
    void nullNamesAndNullTaggedValuesAreRefused() {
        malformed(with(headersWithoutProperties(), 1, 0, 0, 0, 0)); // property name null
        malformed(with(headersWithoutProperties(), 1, 2, 'p', 10, 0, 0, 0)); // string tag with a null string
        malformed(with(headersWithoutProperties(), 1, 2, 'p', 11, 0, 0, 0)); // byte[] tag with a null array
        malformed(with(headersWithoutProperties(), 0, 3, 2, 0, 0)); // map entry name null
        byte[] nullDestinationName = MessageCodec.encode(
                MessageSnapshot.builder().destination(Address.queue("q")).build()).clone();
        // version, messageId, timestamp, correlationId, correlationIdBytes, replyTo, then the destination
        // kind at index 6 and its name length at 7
        nullDestinationName[7] = 0;
        assertTrue(malformed(nullDestinationName).getMessage().contains("destination name is null"));
    }

    @Test
    void duplicateNamesAreRefused() {
        malformed(with(headersWithoutProperties(), 2, 2, 'p', 0, 2, 'p', 0, 0));
        malformed(with(headersWithoutProperties(), 0, 3, 3, 2, 'e', 0, 2, 'e', 0));
    }

    @Test
    void invalidStringBytesAreRefused() {
        // a property name of one continuation byte, and one cut-short two-byte sequence
        malformed(with(headersWithoutProperties(), 1, 2, 0x80, 0, 0));
        malformed(with(headersWithoutProperties(), 1, 2, 0xC3, 0, 0));
        malformed(with(headersWithoutProperties(), 1, 3, 0xE2, 0x82, 0, 0));
        malformed(with(headersWithoutProperties(), 1, 2, 0xF0, 0, 0));
    }

    /** Random corruption either decodes or fails as malformed: never another exception, a hang or an OOM. */
    @Test
    void randomCorruptionFailsCleanly() {
        MessageSnapshot s = fullHeaders().body(BodyType.STREAM, Collections.unmodifiableList(
                new ArrayList<>(allBodyValues().values()))).build();
        byte[] encoded = MessageCodec.encode(s);
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] corrupt = encoded.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                corrupt[1 + random.nextInt(corrupt.length - 1)] = (byte) random.nextInt(256);
            }
            try {
                MessageCodec.decode(corrupt);
            } catch (MalformedMessageException expected) {
                // fine: the corruption was detected
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("round " + round + ": " + e, e);
            }
        }
    }
}
