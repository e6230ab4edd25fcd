package io.tern.store;

import io.tern.protocol.MessageSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Field-by-field equality of {@link MessageSnapshot}s, which have no {@code equals}: a store that encodes
 * messages returns a different object with the same content. Values must keep their exact type (an int
 * property must not come back as a long) and byte arrays are compared by content. Stateless.
 */
public final class MessageSnapshotAssertions {

    private MessageSnapshotAssertions() {
    }

    public static void assertSnapshotEquals(MessageSnapshot expected, MessageSnapshot actual) {
        assertNotNull(actual, "no message where " + expected + " was expected");
        String of = " of " + expected.messageId();
        assertEquals(expected.messageId(), actual.messageId(), "messageId");
        assertEquals(expected.timestamp(), actual.timestamp(), "timestamp" + of);
        assertEquals(expected.correlationId(), actual.correlationId(), "correlationId" + of);
        assertArrayEquals(expected.correlationIdBytes(), actual.correlationIdBytes(), "correlationIdBytes" + of);
        assertEquals(expected.replyTo(), actual.replyTo(), "replyTo" + of);
        assertEquals(expected.destination(), actual.destination(), "destination" + of);
        assertEquals(expected.type(), actual.type(), "type" + of);
        assertEquals(expected.deliveryMode(), actual.deliveryMode(), "deliveryMode" + of);
        assertEquals(expected.expiration(), actual.expiration(), "expiration" + of);
        assertEquals(expected.priority(), actual.priority(), "priority" + of);
        assertEquals(expected.deliveryTime(), actual.deliveryTime(), "deliveryTime" + of);
        assertEquals(expected.producerId(), actual.producerId(), "producerId" + of);
        assertEquals(expected.producerSequence(), actual.producerSequence(), "producerSequence" + of);
        assertEquals(new ArrayList<>(expected.properties().keySet()), new ArrayList<>(actual.properties().keySet()),
                "property names, in the order set," + of);
        for (Map.Entry<String, Object> e : expected.properties().entrySet()) {
            assertValueEquals("property " + e.getKey() + of, e.getValue(), actual.properties().get(e.getKey()));
        }
        assertEquals(expected.bodyType(), actual.bodyType(), "bodyType" + of);
        assertValueEquals("body" + of, expected.body(), actual.body());
    }

    /** Deep equality for the values a snapshot holds: boxed primitives, strings, byte[], maps and lists. */
    public static void assertValueEquals(String what, Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual, what);
        } else if (expected instanceof byte[] bytes) {
            assertTrue(actual instanceof byte[], what + ": expected byte[] but was " + describe(actual));
            assertArrayEquals(bytes, (byte[]) actual, what);
        } else if (expected instanceof Map<?, ?> map) {
            assertTrue(actual instanceof Map<?, ?>, what + ": expected a map but was " + describe(actual));
            Map<?, ?> other = (Map<?, ?>) actual;
            assertEquals(map.keySet(), other.keySet(), what + ": map keys");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                assertValueEquals(what + "[" + e.getKey() + "]", e.getValue(), other.get(e.getKey()));
            }
        } else if (expected instanceof List<?> list) {
            assertTrue(actual instanceof List<?>, what + ": expected a list but was " + describe(actual));
            List<?> other = (List<?>) actual;
            assertEquals(list.size(), other.size(), what + ": list size");
            for (int i = 0; i < list.size(); i++) {
                assertValueEquals(what + "[" + i + "]", list.get(i), other.get(i));
            }
        } else {
            if (actual == null || expected.getClass() != actual.getClass()) {
                fail(what + ": expected " + describe(expected) + " but was " + describe(actual));
            }
            assertEquals(expected, actual, what);
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
        if (text.length() > 80) {
            text = text.substring(0, 80) + "...";
        }
        return value.getClass().getSimpleName() + " " + text;
    }
}
