package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.MessageStore;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation.QueueAdd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.tern.store.kahadb.StoreFixture.await;
import static io.tern.store.kahadb.StoreFixture.message;
import static io.tern.store.kahadb.StoreFixture.readAll;
import static io.tern.store.kahadb.StoreFixture.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A producer's resend (same producer ID, producer sequence and message ID) is stored once. */
class DuplicateDetectionTest {

    @TempDir
    Path directory;

    private KahaDBPersistenceAdapter adapter;
    private final Address orders = Address.queue("orders");

    @BeforeEach
    void start() throws Exception {
        adapter = StoreFixture.started(StoreFixture.config(directory, 1024 * 1024).build());
    }

    @AfterEach
    void stop() throws Exception {
        adapter.stop();
    }

    private void restart() throws Exception {
        adapter.stop();
        adapter = StoreFixture.started(StoreFixture.config(directory, 1024 * 1024).build());
    }

    @Test
    void aResendCompletesWithoutStoringASecondCopyAlsoAfterARestart() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        MessageSnapshot sent = message(orders, "p1", 1, 100);
        await(queue.add(1, sent));
        await(queue.add(2, message(orders, "p1", 1, 100)));
        assertEquals(List.of(1L), sequences(readAll(queue)));

        restart();
        queue = adapter.queueStore("orders");
        await(queue.add(3, message(orders, "p1", 1, 100)));
        await(queue.add(4, message(orders, "p1", 2, 100)));
        assertEquals(List.of(1L, 4L), sequences(readAll(queue)));
        assertEquals(2, queue.count());
    }

    @Test
    void aResendOfAMessageAlreadyConsumedIsDroppedToo() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        await(queue.add(1, message(orders, "p1", 7, 10)));
        await(queue.remove(1));
        await(queue.add(2, message(orders, "p1", 7, 10)));
        assertEquals(0, queue.count());
    }

    @Test
    void theSameProducerSequenceWithAnotherMessageIdIsANewMessage() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        MessageSnapshot first = message(orders, "p1", 1, 10);
        await(queue.add(1, first));
        await(queue.add(2, first.toBuilder().messageId("ID:other").build()));
        assertEquals(List.of(1L, 2L), sequences(readAll(queue)));
    }

    @Test
    void outOfOrderSequencesAreAllStoredAndTheirResendsDropped() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        long sequence = 0;
        for (long producerSequence : new long[] {500, 300, 400, 100, 200, 2300}) {
            await(queue.add(++sequence, message(orders, "p1", producerSequence, 10)));
        }
        for (long producerSequence : new long[] {500, 300, 400, 2300}) {
            await(queue.add(++sequence, message(orders, "p1", producerSequence, 10)));
        }
        assertEquals(6, queue.count());
        // 100 and 200 are now more than the window below the producer's highest sequence: too old to
        // tell, so they count as new rather than risk dropping a new message.
        await(queue.add(++sequence, message(orders, "p1", 100, 10)));
        assertEquals(7, queue.count());
    }

    @Test
    void producersAreTrackedPerDestinationAndMessagesWithoutProducerNeverAreResends() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        MessageStore other = adapter.queueStore("invoices");
        await(queue.add(1, message(orders, "p1", 1, 10)));
        await(other.add(1, message(Address.queue("invoices"), "p1", 1, 10)));
        await(queue.add(2, message(orders, null, 1, 10)));
        await(queue.add(3, message(orders, null, 1, 10)));
        assertEquals(3, queue.count());
        assertEquals(1, other.count());
    }

    @Test
    void aResendInsideATransactionIsDroppedAndTheRestIsCommitted() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        await(queue.add(1, message(orders, "p1", 1, 10)));
        await(adapter.transactionStore().commit(List.of(
                new QueueAdd("orders", 2, message(orders, "p1", 1, 10)),
                new QueueAdd("orders", 3, message(orders, "p1", 2, 10)))));
        assertEquals(List.of(1L, 3L), sequences(readAll(queue)));
        restart();
        assertEquals(List.of(1L, 3L), sequences(readAll(adapter.queueStore("orders"))));
    }

    @Test
    void aTopicResendIsDropped() throws Exception {
        TopicMessageStore topic = adapter.topicStore("prices");
        Address prices = Address.topic("prices");
        SubscriptionInfo sub = new SubscriptionInfo("c", "s", null, false, false);
        await(topic.addSubscription(sub));
        await(topic.add(1, message(prices, "p1", 1, 10), List.of(sub.key())));
        await(topic.add(2, message(prices, "p1", 1, 10), List.of(sub.key())));
        assertEquals(1, topic.count(sub.key()));
    }

    @Test
    void concurrentResendsOfOneMessageStoreItOnce() throws Exception {
        MessageStore queue = adapter.queueStore("orders");
        List<java.util.concurrent.CompletionStage<Void>> pending = new java.util.ArrayList<>();
        for (long s = 1; s <= 50; s++) {
            pending.add(queue.add(s, message(orders, "p1", 1, 10)));
        }
        pending.forEach(StoreFixture::await);
        assertEquals(1, queue.count());
    }
}
