package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.Delivery;
import jakarta.jms.DeliveryMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A committed transaction's message is in the store a moment before the queue is told of it; a page-in
 * in that moment must not read it as well, or it is delivered twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommittedPageInTest {

    private static final Address QUEUE = Address.queue("paged");

    private final HeldWriteStore store = new HeldWriteStore();
    private final Broker broker = Broker.builder().name("committed-page-in").store(store).memoryLimit(10_000)
            .build().start();

    @AfterEach
    void close() {
        broker.close();
    }

    private static MessageSnapshot message(Address to, String id, int deliveryMode, int bodyBytes) {
        return MessageSnapshot.builder().messageId(id).destination(to).deliveryMode(deliveryMode)
                .body(MessageSnapshot.BodyType.BYTES, new byte[bodyBytes]).build();
    }

    @Test
    void aCommittedMessagePagedInBeforeItIsOfferedIsDeliveredOnce() throws Exception {
        BrokerConnection producer = broker.connect(new DeliveryRecorder());
        producer.send(0, message(QUEUE, "m0", DeliveryMode.PERSISTENT, 10)).get(10, TimeUnit.SECONDS);
        // The memory budget is spent now: the queue's next persistent messages go to the store only.
        producer.send(0, message(Address.queue("filler"), "filler", DeliveryMode.NON_PERSISTENT, 20_000))
                .get(10, TimeUnit.SECONDS);
        producer.send(0, message(QUEUE, "m1", DeliveryMode.PERSISTENT, 10)).get(10, TimeUnit.SECONDS);

        BrokerConnection transacted = broker.connect(new DeliveryRecorder());
        transacted.send(9, message(QUEUE, "tx", DeliveryMode.PERSISTENT, 10)).get(10, TimeUnit.SECONDS);
        store.hold();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                transacted.commit(9, new long[0]);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        store.awaitApplied();
        producer.send(0, message(QUEUE, "m2", DeliveryMode.PERSISTENT, 10)).get(10, TimeUnit.SECONDS);

        // A consumer empties what is in memory: the queue pages in m1, m2 (and, before the fix, tx as well).
        DeliveryRecorder deliveries = new DeliveryRecorder();
        BrokerConnection consumer = broker.connect(deliveries);
        consumer.addConsumer(ConsumerSpec.plain(1, QUEUE, null, false, 100));
        List<String> got = new ArrayList<>();
        while (!got.contains("m2")) {
            got.add(deliveries.next().message().messageId());
        }
        store.release();
        commit.get(10, TimeUnit.SECONDS);
        for (Delivery d = deliveries.poll(1000); d != null; d = deliveries.poll(500)) {
            got.add(d.message().messageId());
        }
        assertEquals(List.of("m0", "m1", "m2", "tx"), got.stream().sorted().toList(), "each message once: " + got);
    }
}
