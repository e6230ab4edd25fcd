package io.tern.store;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.protocol.MessageSnapshot.BodyType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.tern.store.MessageSnapshotAssertions.assertSnapshotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The memory store returns the very objects it was given, so only a store that encodes messages can make
 * the round-trip test fail; this checks that the comparison it relies on notices every kind of difference.
 */
class MessageSnapshotAssertionsTest {

    @Test
    void equalCopiesPass() throws Exception {
        for (MessageSnapshot m : PersistenceAdapterContract.sampleMessages(Address.queue("q"))) {
            assertSnapshotEquals(m, copy(m));
        }
    }

    @Test
    void everyHeaderDifferenceFails() throws Exception {
        MessageSnapshot m = PersistenceAdapterContract.sampleMessages(Address.queue("q")).get(1);
        List<UnaryOperator<MessageSnapshot.Builder>> changes = List.of(
                b -> b.messageId("ID:other"),
                b -> b.timestamp(1),
                b -> b.correlationId("other"),
                b -> b.correlationIdBytes(new byte[] {1}),
                b -> b.replyTo(Address.topic("other")),
                b -> b.destination(Address.queue("other")),
                b -> b.type("other"),
                b -> b.deliveryMode(jakarta.jms.DeliveryMode.NON_PERSISTENT),
                b -> b.expiration(1),
                b -> b.priority(1),
                b -> b.deliveryTime(1),
                b -> b.producerId("other"),
                b -> b.producerSequence(1),
                b -> b.body(BodyType.TEXT, "other"),
                b -> b.body(BodyType.MESSAGE, null));
        for (UnaryOperator<MessageSnapshot.Builder> change : changes) {
            assertThrows(AssertionFailedError.class, () -> assertSnapshotEquals(m, change.apply(m.toBuilder()).build()));
        }
    }

    @Test
    void propertyTypeValueAndOrderDifferencesFail() throws Exception {
        MessageSnapshot m = PersistenceAdapterContract.sampleMessages(Address.queue("q")).get(0);
        Map<String, Object> widened = new LinkedHashMap<>(m.properties());
        widened.put("anInt", 42L);
        Map<String, Object> reordered = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(m.properties().keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reordered.put(names.get(i), m.properties().get(names.get(i)));
        }
        Map<String, Object> missing = new LinkedHashMap<>(m.properties());
        missing.remove("aBoolean");
        for (Map<String, Object> changed : List.of(widened, reordered, missing)) {
            assertThrows(AssertionFailedError.class,
                    () -> assertSnapshotEquals(m, m.toBuilder().properties(changed).build()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void bodyContentDifferencesFail() throws Exception {
        List<MessageSnapshot> samples = PersistenceAdapterContract.sampleMessages(Address.queue("q"));
        MessageSnapshot bytes = samples.get(4);
        byte[] flipped = ((byte[]) bytes.body()).clone();
        flipped[flipped.length - 1]++;
        assertThrows(AssertionFailedError.class,
                () -> assertSnapshotEquals(bytes, bytes.toBuilder().body(BodyType.BYTES, flipped).build()));

        MessageSnapshot map = samples.get(6);
        Map<String, Object> changedMap = new LinkedHashMap<>((Map<String, Object>) map.body());
        changedMap.put("bytes", new byte[] {1, 2, 4});
        assertThrows(AssertionFailedError.class,
                () -> assertSnapshotEquals(map, map.toBuilder().body(BodyType.MAP, changedMap).build()));
        Map<String, Object> droppedNull = new LinkedHashMap<>((Map<String, Object>) map.body());
        droppedNull.remove("nothing");
        assertThrows(AssertionFailedError.class,
                () -> assertSnapshotEquals(map, map.toBuilder().body(BodyType.MAP, droppedNull).build()));

        MessageSnapshot stream = samples.get(7);
        List<Object> changedStream = new ArrayList<>((List<Object>) stream.body());
        changedStream.set(1, 2L);
        assertThrows(AssertionFailedError.class,
                () -> assertSnapshotEquals(stream, stream.toBuilder().body(BodyType.STREAM, changedStream).build()));
    }

    /** A copy sharing no mutable object with the original, as a decoding store would return. */
    private static MessageSnapshot copy(MessageSnapshot m) {
        return m.toBuilder()
                .messageId(m.messageId() == null ? null : new String(m.messageId()))
                .correlationIdBytes(m.correlationIdBytes() == null ? null : m.correlationIdBytes().clone())
                .properties(new LinkedHashMap<>(m.properties()))
                .body(m.bodyType(), deepCopy(m.body()))
                .build();
    }

    private static Object deepCopy(Object value) {
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(Arrays.asList(list.stream().map(MessageSnapshotAssertionsTest::deepCopy).toArray()));
        }
        return value;
    }
}
