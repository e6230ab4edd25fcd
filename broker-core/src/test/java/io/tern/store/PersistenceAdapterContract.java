package io.tern.store;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.protocol.MessageSnapshot.BodyType;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.QueueRemove;
import io.tern.store.TransactionOperation.TopicAcknowledge;
import io.tern.store.TransactionOperation.TopicAdd;
import jakarta.jms.DeliveryMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.tern.store.MessageSnapshotAssertions.assertSnapshotEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link PersistenceAdapter} must do, whatever it keeps its data in. A store module extends
 * this class, says how to create its adapter on a directory, and runs the whole suite against itself.
 *
 * <p>{@link #createAdapter} returns a new adapter that is not started; the suite starts it before each test
 * and stops it after. {@link #restart(PersistenceAdapter, Path)} must give back a started adapter that
 * holds what the stopped one held: by default a new adapter on the same directory, which is what a
 * durable store promises; the memory store stops and starts the same instance instead.
 *
 * <p>The suite never relies on the identity of the message objects a store returns, only on their
 * fields, so stores that encode messages pass it. It does rely on these points the SPI leaves open:
 * <ul>
 *   <li>calls on a stopped adapter, and on stores obtained from it before it stopped, fail with
 *       {@link IllegalStateException}, thrown or as the cause of the returned stage;</li>
 *   <li>a write that conflicts with what is stored (a sequence already stored, an unknown prepared
 *       transaction) fails through its stage or by throwing, and applies nothing;</li>
 *   <li>the error for an unknown prepared transaction names it ({@link GlobalTransactionId#toString()});</li>
 *   <li>reading or counting a subscription the topic does not have gives nothing;</li>
 *   <li>{@code deleteAllMessages} leaves no destination behind and resets last sequences to 0.</li>
 * </ul>
 *
 * <p>Each test owns its adapter; tests run one at a time within an instance.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class PersistenceAdapterContract {

    protected static final long TIMEOUT_SECONDS = 30;

    private static final String SUB_A = SubscriptionInfo.keyOf("client", "a", false);
    private static final String SUB_B = SubscriptionInfo.keyOf("client", "b", false);
    private static final String SUB_C = SubscriptionInfo.keyOf(null, "c", true);

    @TempDir
    protected Path directory;

    /** The adapter under test: started before each test, replaced by {@link #restartAdapter()}. */
    protected PersistenceAdapter adapter;

    /** A new, not yet started adapter keeping its data in {@code directory}. */
    protected abstract PersistenceAdapter createAdapter(Path directory) throws Exception;

    /**
     * Restarts the store as a broker restart would, returning a started adapter with the same content.
     * By default stops {@code adapter} and starts a new one on the same directory.
     */
    protected PersistenceAdapter restart(PersistenceAdapter adapter, Path directory) throws Exception {
        adapter.stop();
        PersistenceAdapter fresh = createAdapter(directory);
        fresh.start(ActivationListener.NONE);
        return fresh;
    }

    @BeforeEach
    void startAdapter() throws Exception {
        adapter = createAdapter(directory);
        adapter.start(ActivationListener.NONE);
    }

    @AfterEach
    void stopAdapter() throws Exception {
        if (adapter != null) {
            adapter.stop();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void stopIsIdempotentAndStartAfterStopKeepsTheContent() throws Exception {
        MessageStore queue = adapter.queueStore("life");
        await(queue.add(1, message(queue.address(), 1)));
        adapter.stop();
        adapter.stop();
        adapter.start(ActivationListener.NONE);
        adapter.stop();
        adapter.start(ActivationListener.NONE);

        MessageStore again = adapter.queueStore("life");
        assertEquals(List.of(1L), sequences(again.read(0, 10)));
        assertEquals(1, again.lastSequence());
        assertTrue(adapter.destinations().contains(Address.queue("life")));
    }

    @Test
    void callsOnAStoppedAdapterFailWithIllegalStateException() throws Exception {
        MessageStore queue = adapter.queueStore("stopped");
        TopicMessageStore topic = adapter.topicStore("stopped-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        await(queue.add(1, message(queue.address(), 1)));
        TransactionStore transactions = adapter.transactionStore();
        adapter.stop();

        assertStopped(() -> adapter.queueStore("stopped"));
        assertStopped(() -> adapter.topicStore("stopped-topic"));
        assertStopped(() -> queue.add(2, message(queue.address(), 2)));
        assertStopped(() -> queue.remove(1));
        assertStopped(() -> queue.read(0, 10));
        assertStopped(() -> topic.add(1, message(topic.address(), 1), List.of(SUB_A)));
        assertStopped(() -> topic.addSubscription(subscription(SUB_B)));
        assertStopped(() -> topic.acknowledge(SUB_A, 1));
        assertStopped(() -> transactions.commit(List.of(new QueueAdd("stopped", 3, message(queue.address(), 3)))));

        adapter.start(ActivationListener.NONE);
        MessageStore again = adapter.queueStore("stopped");
        assertEquals(List.of(1L), sequences(again.read(0, 10)), "nothing tried while stopped was applied");
        assertEquals(List.of(subscription(SUB_A)), adapter.topicStore("stopped-topic").subscriptions());
    }

    @Test
    void callsOnAnAdapterNeverStartedFailWithIllegalStateException() throws Exception {
        Path other = Files.createDirectories(directory.resolve("never-started"));
        PersistenceAdapter unstarted = createAdapter(other);
        try {
            assertStopped(() -> unstarted.queueStore("q"));
            assertStopped(() -> unstarted.topicStore("t"));
        } finally {
            unstarted.stop();
        }
    }

    // ---------------------------------------------------------------- queues

    @Test
    void readReturnsMessagesInSequenceOrderWhateverTheOrderOfAdds() throws Exception {
        MessageStore queue = adapter.queueStore("order");
        for (long sequence : new long[] {5, 1, 4, 2, 3}) {
            await(queue.add(sequence, message(queue.address(), sequence)));
        }

        List<StoredMessage> all = queue.read(0, 10);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences(all));
        for (StoredMessage stored : all) {
            assertSnapshotEquals(message(queue.address(), stored.sequence()), stored.message());
            assertEquals(0, stored.deliveryCount());
        }
        assertEquals(List.of(3L, 4L), sequences(queue.read(2, 2)));
        assertEquals(List.of(), queue.read(5, 10));
        assertEquals(List.of(), queue.read(0, 0));
        assertEquals(List.of(), adapter.queueStore("order-empty").read(0, 10));
    }

    @Test
    void readPagesThroughThousandsOfMessagesInWindows() throws Exception {
        MessageStore queue = adapter.queueStore("paging");
        int total = 5000;
        addAll(queue, 1, total);

        for (int window : new int[] {1, 7, 100, 999, 5000, 10_000}) {
            List<Long> seen = new ArrayList<>();
            long after = 0;
            List<StoredMessage> page;
            while (!(page = queue.read(after, window)).isEmpty()) {
                assertTrue(page.size() <= window, "a window of " + window + " returned " + page.size());
                if (seen.size() + window <= total) {
                    assertEquals(window, page.size(), "a window short of max before the end");
                }
                for (StoredMessage stored : page) {
                    seen.add(stored.sequence());
                    assertEquals(idOf(queue.address(), stored.sequence()), stored.message().messageId());
                }
                after = page.get(page.size() - 1).sequence();
            }
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), seen, "window " + window);
        }
        assertEquals(List.of(2501L, 2502L, 2503L), sequences(queue.read(2500, 3)));
    }

    @Test
    void removeDropsOneMessageAndIgnoresUnknownSequences() throws Exception {
        MessageStore queue = adapter.queueStore("remove");
        addAll(queue, 1, 10);
        await(queue.remove(3));
        await(queue.remove(7));
        await(queue.remove(42));
        await(queue.remove(3));

        List<Long> expected = List.of(1L, 2L, 4L, 5L, 6L, 8L, 9L, 10L);
        assertEquals(expected, sequences(queue.read(0, 100)));
        assertEquals(8, queue.count());
        restartAdapter();
        assertEquals(expected, sequences(adapter.queueStore("remove").read(0, 100)));
    }

    @Test
    void addingASequenceAlreadyStoredFailsAndKeepsTheStoredMessage() throws Exception {
        MessageStore queue = adapter.queueStore("duplicate");
        MessageSnapshot first = message(queue.address(), 1);
        await(queue.add(1, first));

        MessageSnapshot other = first.toBuilder().messageId("ID:other").build();
        assertNotNull(failure(() -> queue.add(1, other)));

        List<StoredMessage> stored = queue.read(0, 10);
        assertEquals(1, stored.size());
        assertSnapshotEquals(first, stored.get(0).message());
        assertEquals(1, queue.count());
    }

    @Test
    void lastSequenceIsTheHighestEverAddedAlsoAfterRemovalAndRestart() throws Exception {
        MessageStore queue = adapter.queueStore("last");
        assertEquals(0, queue.lastSequence());
        await(queue.add(10, message(queue.address(), 10)));
        await(queue.add(7, message(queue.address(), 7)));
        assertEquals(10, queue.lastSequence());

        await(queue.remove(10));
        assertEquals(10, queue.lastSequence());
        await(queue.removeAll());
        assertEquals(10, queue.lastSequence());
        assertEquals(0, queue.count());

        restartAdapter();
        MessageStore again = adapter.queueStore("last");
        assertEquals(10, again.lastSequence());
        assertEquals(0, again.count());
        await(again.add(11, message(again.address(), 11)));
        assertEquals(11, again.lastSequence());
    }

    @Test
    void countAndSizeBytesFollowAddsAndRemoves() throws Exception {
        MessageStore queue = adapter.queueStore("count");
        assertEquals(0, queue.count());
        assertEquals(0, queue.sizeBytes());

        addAll(queue, 1, 10);
        assertEquals(10, queue.count());
        long fullSize = queue.sizeBytes();
        assertTrue(fullSize > 0, "sizeBytes of 10 messages was " + fullSize);

        for (long s = 1; s <= 5; s++) {
            await(queue.remove(s));
        }
        assertEquals(5, queue.count());
        long halfSize = queue.sizeBytes();
        assertTrue(halfSize > 0 && halfSize < fullSize, "sizeBytes went from " + fullSize + " to " + halfSize);

        restartAdapter();
        MessageStore again = adapter.queueStore("count");
        assertEquals(5, again.count());
        assertTrue(again.sizeBytes() > 0);

        await(again.removeAll());
        assertEquals(0, again.count());
        assertEquals(0, again.sizeBytes());
        assertEquals(List.of(), again.read(0, 100));
    }

    @Test
    void deliveryCountIsKeptAcrossRestart() throws Exception {
        MessageStore queue = adapter.queueStore("delivery");
        addAll(queue, 1, 3);
        await(queue.updateDeliveryCount(2, 3));
        await(queue.updateDeliveryCount(3, 1));
        await(queue.updateDeliveryCount(99, 5));

        restartAdapter();
        List<StoredMessage> stored = adapter.queueStore("delivery").read(0, 10);
        assertEquals(List.of(1L, 2L, 3L), sequences(stored));
        assertEquals(List.of(0, 3, 1), stored.stream().map(StoredMessage::deliveryCount).toList());
        assertSnapshotEquals(message(Address.queue("delivery"), 2), stored.get(1).message());
    }

    @Test
    void removeAllEmptiesOneQueueOnly() throws Exception {
        MessageStore emptied = adapter.queueStore("emptied");
        MessageStore kept = adapter.queueStore("kept");
        addAll(emptied, 1, 100);
        addAll(kept, 1, 10);

        await(emptied.removeAll());
        assertEquals(0, emptied.count());
        assertEquals(List.of(), emptied.read(0, 1000));
        assertEquals(10, kept.count());

        restartAdapter();
        assertEquals(0, adapter.queueStore("emptied").count());
        assertEquals(100, adapter.queueStore("emptied").lastSequence());
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(),
                sequences(adapter.queueStore("kept").read(0, 100)));
    }

    // ---------------------------------------------------------------- messages

    @Test
    void everyFieldOfEveryBodyTypeSurvivesTheStore() throws Exception {
        MessageStore queue = adapter.queueStore("round-trip");
        TopicMessageStore topic = adapter.topicStore("round-trip-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        List<MessageSnapshot> samples = sampleMessages(queue.address());
        for (int i = 0; i < samples.size(); i++) {
            await(queue.add(i + 1, samples.get(i)));
            await(topic.add(i + 1, samples.get(i), List.of(SUB_A)));
        }

        assertRoundTrip(samples, queue.read(0, 100));
        assertRoundTrip(samples, topic.read(SUB_A, 0, 100));
        restartAdapter();
        assertRoundTrip(samples, adapter.queueStore("round-trip").read(0, 100));
        assertRoundTrip(samples, adapter.topicStore("round-trip-topic").read(SUB_A, 0, 100));
    }

    // ---------------------------------------------------------------- destinations

    @Test
    void everyDestinationIsRecoveredAfterRestart() throws Exception {
        MessageStore orders = adapter.queueStore("orders");
        MessageStore invoices = adapter.queueStore("invoices");
        TopicMessageStore prices = adapter.topicStore("prices");
        await(prices.addSubscription(subscription(SUB_A)));
        addAll(orders, 1, 20);
        addAll(invoices, 1, 3);
        for (long s = 1; s <= 4; s++) {
            await(prices.add(s, message(prices.address(), s), List.of(SUB_A)));
        }
        adapter.queueStore("empty-queue");
        Set<Address> expected = Set.of(Address.queue("orders"), Address.queue("invoices"),
                Address.topic("prices"), Address.queue("empty-queue"));
        assertEquals(expected, adapter.destinations());

        restartAdapter();
        assertEquals(expected, adapter.destinations());
        assertMessages(adapter.queueStore("orders").read(0, 100), Address.queue("orders"), 1, 20);
        assertMessages(adapter.queueStore("invoices").read(0, 100), Address.queue("invoices"), 1, 3);
        assertMessages(adapter.topicStore("prices").read(SUB_A, 0, 100), Address.topic("prices"), 1, 4);
        assertEquals(0, adapter.queueStore("empty-queue").count());
    }

    @Test
    void removeDestinationDropsAQueueOrTopicAndEverythingStoredForIt() throws Exception {
        MessageStore gone = adapter.queueStore("gone");
        MessageStore stays = adapter.queueStore("stays");
        TopicMessageStore goneTopic = adapter.topicStore("gone-topic");
        addAll(gone, 1, 10);
        addAll(stays, 1, 5);
        await(goneTopic.addSubscription(subscription(SUB_A)));
        await(goneTopic.add(1, message(goneTopic.address(), 1), List.of(SUB_A)));

        adapter.removeDestination(Address.queue("gone"));
        adapter.removeDestination(Address.topic("gone-topic"));
        assertEquals(Set.of(Address.queue("stays")), adapter.destinations());

        restartAdapter();
        assertEquals(Set.of(Address.queue("stays")), adapter.destinations());
        assertEquals(5, adapter.queueStore("stays").count());
        MessageStore recreated = adapter.queueStore("gone");
        assertEquals(0, recreated.count());
        assertEquals(0, recreated.lastSequence());
        assertEquals(List.of(), recreated.read(0, 100));
        TopicMessageStore recreatedTopic = adapter.topicStore("gone-topic");
        assertEquals(List.of(), recreatedTopic.subscriptions());
        assertEquals(0, recreatedTopic.lastSequence());
    }

    @Test
    void deleteAllMessagesClearsEveryDestinationSubscriptionAndPreparedTransaction() throws Exception {
        MessageStore queue = adapter.queueStore("wipe");
        TopicMessageStore topic = adapter.topicStore("wipe-topic");
        addAll(queue, 1, 50);
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_A)));
        await(adapter.transactionStore().prepare(xid(1),
                List.of(new QueueAdd("wipe", 51, message(queue.address(), 51)))));

        adapter.deleteAllMessages();
        assertWiped();
        restartAdapter();
        assertWiped();
    }

    private void assertWiped() throws Exception {
        assertEquals(Set.of(), adapter.destinations());
        assertEquals(Map.of(), adapter.transactionStore().recoverPrepared());
        MessageStore queue = adapter.queueStore("wipe");
        assertEquals(0, queue.count());
        assertEquals(0, queue.lastSequence());
        assertEquals(List.of(), queue.read(0, 100));
        TopicMessageStore topic = adapter.topicStore("wipe-topic");
        assertEquals(List.of(), topic.subscriptions());
        assertEquals(0, topic.count(SUB_A));
        assertEquals(0, topic.lastSequence());
        adapter.removeDestination(Address.queue("wipe"));
        adapter.removeDestination(Address.topic("wipe-topic"));
    }

    @Test
    void usageGrowsWithMessagesAndFallsWhenTheyAreRemoved() throws Exception {
        StoreUsage before = adapter.usage();
        assertTrue(before.limitBytes() > 0);
        MessageStore queue = adapter.queueStore("usage");
        int payload = 10 * 1024;
        int messages = 100;
        Random random = new Random(42);
        for (long s = 1; s <= messages; s++) {
            byte[] body = new byte[payload];
            random.nextBytes(body);
            await(queue.add(s, message(queue.address(), s).toBuilder().body(BodyType.BYTES, body).build()));
        }
        long grown = adapter.usage().usedBytes();
        assertTrue(grown >= before.usedBytes() + (long) payload * messages / 2,
                "usage went from " + before.usedBytes() + " to " + grown + " for " + payload * messages + " bytes");

        await(queue.removeAll());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (adapter.usage().usedBytes() >= grown && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(adapter.usage().usedBytes() < grown,
                "usage stayed at " + adapter.usage().usedBytes() + " after every message was removed");
    }

    // ---------------------------------------------------------------- topics

    @Test
    void aTopicMessageIsOwedToEachOfItsSubscriptionsUntilEachAcknowledges() throws Exception {
        TopicMessageStore topic = adapter.topicStore("news");
        for (String key : List.of(SUB_A, SUB_B, SUB_C)) {
            await(topic.addSubscription(subscription(key)));
        }
        for (long s = 1; s <= 3; s++) {
            await(topic.add(s, message(topic.address(), s), List.of(SUB_A, SUB_B, SUB_C)));
        }
        await(topic.add(4, message(topic.address(), 4), List.of(SUB_A)));
        assertEquals(4, topic.count(SUB_A));
        assertEquals(3, topic.count(SUB_B));
        assertEquals(List.of(1L, 2L, 3L), sequences(topic.read(SUB_C, 0, 10)));

        await(topic.acknowledge(SUB_A, 1));
        await(topic.acknowledge(SUB_B, 1));
        await(topic.acknowledge(SUB_A, 4));
        await(topic.acknowledge(SUB_A, 99));
        assertEquals(List.of(2L, 3L), sequences(topic.read(SUB_A, 0, 10)));
        assertEquals(List.of(2L, 3L), sequences(topic.read(SUB_B, 0, 10)));
        List<StoredMessage> stillOwed = topic.read(SUB_C, 0, 10);
        assertEquals(List.of(1L, 2L, 3L), sequences(stillOwed));
        assertSnapshotEquals(message(topic.address(), 1), stillOwed.get(0).message());

        restartAdapter();
        TopicMessageStore again = adapter.topicStore("news");
        assertEquals(List.of(2L, 3L), sequences(again.read(SUB_A, 0, 10)));
        assertEquals(List.of(1L, 2L, 3L), sequences(again.read(SUB_C, 0, 10)));
        await(again.acknowledge(SUB_C, 1));
        assertEquals(List.of(2L, 3L), sequences(again.read(SUB_C, 0, 10)));
        assertEquals(4, again.lastSequence());
        assertEquals(0, again.count("durable:client:nobody"));
        assertEquals(List.of(), again.read("durable:client:nobody", 0, 10));
    }

    @Test
    void topicReadPagesInOrderPerSubscription() throws Exception {
        TopicMessageStore topic = adapter.topicStore("ticks");
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.addSubscription(subscription(SUB_B)));
        int total = 3000;
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (long s = 1; s <= total + 1; s++) {
            pending.add(topic.add(s, message(topic.address(), s), List.of(SUB_A, SUB_B)));
        }
        for (long s = 2; s <= total; s += 2) {
            pending.add(topic.acknowledge(SUB_A, s));
        }
        pending.add(topic.acknowledge(SUB_A, total + 1));
        for (CompletionStage<Void> stage : pending) {
            await(stage);
        }

        List<Long> odd = LongStream.rangeClosed(1, total).filter(s -> s % 2 == 1).boxed().toList();
        assertEquals(odd, sequences(readAll(topic, SUB_A, 100)));
        assertEquals(LongStream.rangeClosed(1, total + 1).boxed().toList(), sequences(readAll(topic, SUB_B, 333)));
        assertEquals(total / 2, topic.count(SUB_A));

        restartAdapter();
        TopicMessageStore again = adapter.topicStore("ticks");
        assertEquals(odd, sequences(readAll(again, SUB_A, 100)));
        assertEquals(total + 1, again.lastSequence());
    }

    @Test
    void topicLastSequenceSurvivesAcknowledgementOfEveryMessage() throws Exception {
        TopicMessageStore topic = adapter.topicStore("drained");
        assertEquals(0, topic.lastSequence());
        await(topic.addSubscription(subscription(SUB_A)));
        for (long s = 1; s <= 5; s++) {
            await(topic.add(s, message(topic.address(), s), List.of(SUB_A)));
            await(topic.acknowledge(SUB_A, s));
        }
        assertEquals(0, topic.count(SUB_A));
        assertEquals(5, topic.lastSequence());
        restartAdapter();
        assertEquals(5, adapter.topicStore("drained").lastSequence());
    }

    @Test
    void topicDeliveryCountIsPerSubscriptionAndKeptAcrossRestart() throws Exception {
        TopicMessageStore topic = adapter.topicStore("counted");
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.addSubscription(subscription(SUB_B)));
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_A, SUB_B)));
        await(topic.add(2, message(topic.address(), 2), List.of(SUB_A, SUB_B)));
        await(topic.updateDeliveryCount(SUB_A, 1, 2));
        await(topic.updateDeliveryCount(SUB_B, 2, 5));
        await(topic.updateDeliveryCount(SUB_B, 77, 5));

        restartAdapter();
        TopicMessageStore again = adapter.topicStore("counted");
        assertEquals(List.of(2, 0), deliveryCounts(again.read(SUB_A, 0, 10)));
        assertEquals(List.of(0, 5), deliveryCounts(again.read(SUB_B, 0, 10)));
    }

    @Test
    void subscriptionsSurviveRestartWithEveryField() throws Exception {
        TopicMessageStore topic = adapter.topicStore("subs");
        Set<SubscriptionInfo> expected = Set.of(
                new SubscriptionInfo("client", "plain", null, false, false),
                new SubscriptionInfo("client", "filtered", "colour = 'red' AND size > 3", true, false),
                new SubscriptionInfo(null, "shared-no-client", "JMSPriority > 4", false, true),
                new SubscriptionInfo("client", "shared-with-client", null, false, true));
        for (SubscriptionInfo info : expected) {
            await(topic.addSubscription(info));
        }
        assertEquals(expected, Set.copyOf(topic.subscriptions()));
        assertEquals(4, topic.subscriptions().size());

        restartAdapter();
        assertEquals(expected, Set.copyOf(adapter.topicStore("subs").subscriptions()));
        assertEquals(4, adapter.topicStore("subs").subscriptions().size());
    }

    @Test
    void changingSelectorOrNoLocalReplacesTheSubscriptionAndDropsItsMessages() throws Exception {
        TopicMessageStore topic = adapter.topicStore("replace");
        SubscriptionInfo a = new SubscriptionInfo("client", "a", "x = 1", false, false);
        await(topic.addSubscription(a));
        await(topic.addSubscription(subscription(SUB_B)));
        for (long s = 1; s <= 3; s++) {
            await(topic.add(s, message(topic.address(), s), List.of(SUB_A, SUB_B)));
        }

        await(topic.addSubscription(a));
        assertEquals(3, topic.count(SUB_A), "the same subscription again keeps its messages");

        SubscriptionInfo reselected = new SubscriptionInfo("client", "a", "x = 2", false, false);
        await(topic.addSubscription(reselected));
        assertEquals(0, topic.count(SUB_A));
        assertEquals(List.of(), topic.read(SUB_A, 0, 10));
        assertEquals(3, topic.count(SUB_B));
        await(topic.add(4, message(topic.address(), 4), List.of(SUB_A, SUB_B)));

        SubscriptionInfo noLocal = new SubscriptionInfo("client", "a", "x = 2", true, false);
        await(topic.addSubscription(noLocal));
        assertEquals(0, topic.count(SUB_A));
        assertEquals(Set.of(noLocal, subscription(SUB_B)), Set.copyOf(topic.subscriptions()));

        restartAdapter();
        TopicMessageStore again = adapter.topicStore("replace");
        assertEquals(Set.of(noLocal, subscription(SUB_B)), Set.copyOf(again.subscriptions()));
        assertEquals(0, again.count(SUB_A));
        assertEquals(List.of(1L, 2L, 3L, 4L), sequences(again.read(SUB_B, 0, 10)));
    }

    @Test
    void removingASubscriptionDropsItsClaimsOnly() throws Exception {
        TopicMessageStore topic = adapter.topicStore("unsubscribe");
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.addSubscription(subscription(SUB_B)));
        for (long s = 1; s <= 3; s++) {
            await(topic.add(s, message(topic.address(), s), List.of(SUB_A, SUB_B)));
        }
        await(topic.removeSubscription(SUB_A));
        await(topic.removeSubscription("durable:client:unknown"));

        assertEquals(List.of(subscription(SUB_B)), topic.subscriptions());
        assertEquals(0, topic.count(SUB_A));
        assertEquals(List.of(), topic.read(SUB_A, 0, 10));
        assertEquals(List.of(1L, 2L, 3L), sequences(topic.read(SUB_B, 0, 10)));

        restartAdapter();
        TopicMessageStore again = adapter.topicStore("unsubscribe");
        assertEquals(List.of(subscription(SUB_B)), again.subscriptions());
        assertMessages(again.read(SUB_B, 0, 10), again.address(), 1, 3);
    }

    // ---------------------------------------------------------------- what a broker recognises repeats by

    @Test
    void outcomeKeysOfCommittedTransactionsAreKnownAlsoAfterRestart() throws Exception {
        MessageStore queue = adapter.queueStore("outcomes");
        await(adapter.transactionStore().commit(List.of(
                new QueueAdd("outcomes", 1, message(queue.address(), 1)),
                new TransactionOperation.RecordOutcome("tx-committed"))));
        addAll(queue, 2, 2);
        assertNotNull(failure(() -> adapter.transactionStore().commit(List.of(
                new QueueAdd("outcomes", 2, message(queue.address(), 2)),
                new TransactionOperation.RecordOutcome("tx-conflicting")))));

        assertOutcomes();
        restartAdapter();
        assertOutcomes();
        assertEquals(List.of(1L, 2L), sequences(adapter.queueStore("outcomes").read(0, 10)));
    }

    private void assertOutcomes() throws Exception {
        TransactionStore transactions = adapter.transactionStore();
        assertTrue(transactions.hasCommitted("tx-committed"));
        assertFalse(transactions.hasCommitted("tx-conflicting"), "a commit that failed applied nothing, its key neither");
        assertFalse(transactions.hasCommitted("tx-never-seen"));
    }

    @Test
    void producerHighWaterIsTheHighestSequenceStoredAlsoAfterConsumptionAndRestart() throws Exception {
        MessageStore queue = adapter.queueStore("marks");
        TopicMessageStore topic = adapter.topicStore("marks-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        await(queue.add(1, fromProducer(queue.address(), 1, "ID:p-queue", 7)));
        await(queue.add(2, fromProducer(queue.address(), 2, "ID:p-queue", 5)));
        await(queue.add(3, fromProducer(queue.address(), 3, "ID:p-both", 2)));
        await(topic.add(1, fromProducer(topic.address(), 1, "ID:p-both", 4), List.of(SUB_A)));
        await(adapter.transactionStore().commit(List.of(
                new QueueAdd("marks", 4, fromProducer(queue.address(), 4, "ID:p-tx", 11)))));
        await(queue.add(5, fromProducer(queue.address(), 5, null, 0)));
        await(queue.remove(1));
        await(queue.remove(4));
        await(topic.acknowledge(SUB_A, 1));

        assertProducerMarks();
        restartAdapter();
        assertProducerMarks();
    }

    private void assertProducerMarks() throws Exception {
        TransactionStore transactions = adapter.transactionStore();
        assertEquals(7, transactions.producerHighWater("ID:p-queue"), "the highest, though consumed and not last");
        assertEquals(4, transactions.producerHighWater("ID:p-both"), "across destinations");
        assertEquals(11, transactions.producerHighWater("ID:p-tx"), "inside a commit");
        assertEquals(0, transactions.producerHighWater("ID:p-unknown"));
    }

    @Test
    void dispatchMarksAreKeptPerQueueAndSubscriptionAcrossRestart() throws Exception {
        MessageStore queue = adapter.queueStore("dispatched");
        TopicMessageStore topic = adapter.topicStore("dispatched-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.addSubscription(subscription(SUB_B)));
        assertEquals(0, queue.dispatchMark());
        assertEquals(0, topic.dispatchMark(SUB_A));
        addAll(queue, 1, 3);
        await(queue.recordDispatchMark(300));
        await(queue.recordDispatchMark(256));
        await(topic.recordDispatchMark(SUB_A, 40));
        await(topic.recordDispatchMark(SubscriptionInfo.keyOf("client", "nobody", false), 9));
        assertEquals(256, queue.dispatchMark(), "a mark replaces the last one, also a lower one");
        assertEquals(0, adapter.queueStore("dispatched-other").dispatchMark());

        restartAdapter();
        assertEquals(256, adapter.queueStore("dispatched").dispatchMark());
        TopicMessageStore again = adapter.topicStore("dispatched-topic");
        assertEquals(40, again.dispatchMark(SUB_A));
        assertEquals(0, again.dispatchMark(SUB_B));
        assertEquals(List.of(0, 0, 0), deliveryCounts(adapter.queueStore("dispatched").read(0, 10)),
                "the mark does not change the recorded delivery counts: the broker judges by it");
    }

    protected static MessageSnapshot fromProducer(Address destination, long sequence, String producerId,
                                                  long producerSequence) {
        return message(destination, sequence).toBuilder().producerId(producerId).producerSequence(producerSequence)
                .build();
    }

    // ---------------------------------------------------------------- transactions

    @Test
    void commitAppliesQueueAndTopicOperationsTogether() throws Exception {
        MessageStore queue = adapter.queueStore("tx-queue");
        TopicMessageStore topic = adapter.topicStore("tx-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        await(topic.addSubscription(subscription(SUB_B)));
        addAll(queue, 1, 2);
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_A, SUB_B)));

        await(adapter.transactionStore().commit(List.of(
                new QueueRemove("tx-queue", 1),
                new QueueAdd("tx-queue", 3, message(queue.address(), 3)),
                new QueueAdd("tx-new-queue", 1, message(Address.queue("tx-new-queue"), 1)),
                new TopicAcknowledge("tx-topic", SUB_A, 1),
                new TopicAdd("tx-topic", 2, message(topic.address(), 2), List.of(SUB_A, SUB_B)))));

        assertCommitted();
        restartAdapter();
        assertCommitted();
    }

    private void assertCommitted() throws Exception {
        assertMessages(adapter.queueStore("tx-queue").read(0, 10), Address.queue("tx-queue"), 2, 3);
        assertMessages(adapter.queueStore("tx-new-queue").read(0, 10), Address.queue("tx-new-queue"), 1, 1);
        TopicMessageStore topic = adapter.topicStore("tx-topic");
        assertMessages(topic.read(SUB_A, 0, 10), topic.address(), 2, 2);
        assertMessages(topic.read(SUB_B, 0, 10), topic.address(), 1, 2);
        assertEquals(3, adapter.queueStore("tx-queue").lastSequence());
        assertEquals(2, topic.lastSequence());
        assertTrue(adapter.destinations().contains(Address.queue("tx-new-queue")));
    }

    @Test
    void aCommitThatConflictsAppliesNothing() throws Exception {
        MessageStore queue = adapter.queueStore("tx-conflict");
        TopicMessageStore topic = adapter.topicStore("tx-conflict-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        addAll(queue, 1, 2);

        assertNotNull(failure(() -> adapter.transactionStore().commit(List.of(
                new QueueRemove("tx-conflict", 1),
                new QueueAdd("tx-conflict", 10, message(queue.address(), 10)),
                new TopicAdd("tx-conflict-topic", 1, message(topic.address(), 1), List.of(SUB_A)),
                new QueueAdd("tx-conflict", 2, message(queue.address(), 2))))));

        assertEquals(List.of(1L, 2L), sequences(queue.read(0, 10)));
        assertEquals(0, topic.count(SUB_A));
        restartAdapter();
        assertEquals(List.of(1L, 2L), sequences(adapter.queueStore("tx-conflict").read(0, 10)));
        assertEquals(0, adapter.topicStore("tx-conflict-topic").count(SUB_A));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readersNeverSeeHalfACommit() throws Exception {
        MessageStore queue = adapter.queueStore("tx-atomic");
        TopicMessageStore topic = adapter.topicStore("tx-atomic-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        int perCommit = 5;
        int commits = 100;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reader = executor.submit(() -> {
                int reads = 0;
                // At least one read, however fast the writer finishes: the assertion below counts reads.
                do {
                    long queued = queue.count();
                    int listed = queue.read(0, perCommit * commits).size();
                    long owed = topic.count(SUB_A);
                    int owedListed = topic.read(SUB_A, 0, perCommit * commits).size();
                    if (queued % perCommit != 0 || listed % perCommit != 0
                            || owed % perCommit != 0 || owedListed % perCommit != 0) {
                        torn.set("saw " + queued + "/" + listed + " queued and " + owed + "/" + owedListed + " owed");
                    }
                    reads++;
                } while (!done.get() && torn.get() == null);
                return reads;
            });
            long sequence = 0;
            for (int c = 0; c < commits; c++) {
                List<TransactionOperation> ops = new ArrayList<>();
                for (int i = 0; i < perCommit; i++) {
                    sequence++;
                    ops.add(new QueueAdd("tx-atomic", sequence, message(queue.address(), sequence)));
                    ops.add(new TopicAdd("tx-atomic-topic", sequence, message(topic.address(), sequence),
                            List.of(SUB_A)));
                }
                await(adapter.transactionStore().commit(ops));
            }
            done.set(true);
            assertTrue(reader.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) > 0);
        } finally {
            done.set(true);
            executor.shutdownNow();
        }
        assertNull(torn.get(), "a reader saw half a commit: " + torn.get());
        assertEquals(perCommit * commits, queue.count());
        assertEquals(perCommit * commits, topic.count(SUB_A));
    }

    @Test
    void preparedTransactionsAreKeptAsideAcrossRestartInPrepareOrder() throws Exception {
        MessageStore queue = adapter.queueStore("xa");
        TopicMessageStore topic = adapter.topicStore("xa-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        addAll(queue, 1, 3);
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_A)));

        Map<GlobalTransactionId, List<TransactionOperation>> expected = new LinkedHashMap<>();
        expected.put(xid(3), List.of(new QueueAdd("xa", 4, message(queue.address(), 4)),
                new TopicAdd("xa-topic", 2, message(topic.address(), 2), List.of(SUB_A))));
        expected.put(xid(1), List.of(new QueueRemove("xa", 1), new TopicAcknowledge("xa-topic", SUB_A, 1)));
        expected.put(xid(2), List.of(new QueueAdd("xa", 5, sampleMessages(queue.address()).get(3))));
        for (Map.Entry<GlobalTransactionId, List<TransactionOperation>> e : expected.entrySet()) {
            await(adapter.transactionStore().prepare(e.getKey(), e.getValue()));
        }

        assertPrepared(expected, adapter.transactionStore().recoverPrepared());
        assertEquals(List.of(1L, 2L, 3L), sequences(queue.read(0, 10)), "prepared is not applied");
        assertEquals(1, topic.count(SUB_A));

        restartAdapter();
        assertPrepared(expected, adapter.transactionStore().recoverPrepared());
        assertEquals(List.of(1L, 2L, 3L), sequences(adapter.queueStore("xa").read(0, 10)));
        assertEquals(List.of(1L), sequences(adapter.topicStore("xa-topic").read(SUB_A, 0, 10)));
    }

    @Test
    void commitPreparedAppliesAndRollbackPreparedForgets() throws Exception {
        MessageStore queue = adapter.queueStore("xa-end");
        TopicMessageStore topic = adapter.topicStore("xa-end-topic");
        await(topic.addSubscription(subscription(SUB_A)));
        addAll(queue, 1, 2);
        TransactionStore transactions = adapter.transactionStore();
        List<TransactionOperation> committed = List.of(new QueueRemove("xa-end", 1),
                new QueueAdd("xa-end", 3, message(queue.address(), 3)),
                new TopicAdd("xa-end-topic", 1, message(topic.address(), 1), List.of(SUB_A)));
        List<TransactionOperation> rolledBack = List.of(new QueueRemove("xa-end", 2),
                new QueueAdd("xa-end", 4, message(queue.address(), 4)));
        List<TransactionOperation> committedAfterRestart = List.of(
                new QueueAdd("xa-end", 5, message(queue.address(), 5)));
        await(transactions.prepare(xid(1), committed));
        await(transactions.prepare(xid(2), rolledBack));
        await(transactions.prepare(xid(3), committedAfterRestart));

        await(transactions.commitPrepared(xid(1)));
        await(transactions.rollbackPrepared(xid(2)));
        assertEquals(List.of(2L, 3L), sequences(queue.read(0, 10)));
        assertEquals(List.of(1L), sequences(topic.read(SUB_A, 0, 10)));
        assertEquals(List.of(xid(3)), List.copyOf(transactions.recoverPrepared().keySet()));

        restartAdapter();
        TransactionStore again = adapter.transactionStore();
        assertPrepared(Map.of(xid(3), committedAfterRestart), again.recoverPrepared());
        await(again.commitPrepared(xid(3)));
        assertEquals(Map.of(), again.recoverPrepared());
        assertMessages(adapter.queueStore("xa-end").read(0, 10), Address.queue("xa-end"), 2, 3, 5);

        restartAdapter();
        assertEquals(Map.of(), adapter.transactionStore().recoverPrepared());
        assertMessages(adapter.queueStore("xa-end").read(0, 10), Address.queue("xa-end"), 2, 3, 5);
    }

    @Test
    void anUnknownTransactionIdFailsClearly() throws Exception {
        TransactionStore transactions = adapter.transactionStore();
        GlobalTransactionId unknown = xid(404);
        assertNamesTransaction(unknown, failure(() -> transactions.commitPrepared(unknown)));
        assertNamesTransaction(unknown, failure(() -> transactions.rollbackPrepared(unknown)));

        GlobalTransactionId finished = xid(5);
        await(transactions.prepare(finished, List.of(new QueueRemove("nowhere", 1))));
        await(transactions.rollbackPrepared(finished));
        assertNamesTransaction(finished, failure(() -> transactions.commitPrepared(finished)));
        assertNamesTransaction(finished, failure(() -> transactions.rollbackPrepared(finished)));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentWritersToOneQueueStoreEveryMessageOnceInSequenceOrder() throws Exception {
        MessageStore queue = adapter.queueStore("crowded");
        AtomicLong sequences = new AtomicLong();
        int threads = 8;
        int perThread = 2000;
        runConcurrently(threads, thread -> {
            List<CompletionStage<Void>> pending = new ArrayList<>(perThread);
            for (int i = 0; i < perThread; i++) {
                long s = sequences.incrementAndGet();
                pending.add(queue.add(s, message(queue.address(), s)));
            }
            return pending;
        });

        assertEquals((long) threads * perThread, queue.count());
        assertMessageIds(readAll(queue, 1000), queue.address(), threads * perThread);
        assertEquals((long) threads * perThread, queue.lastSequence());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentWritersToDifferentQueuesKeepEachQueueApart() throws Exception {
        int threads = 8;
        int perThread = 2000;
        runConcurrently(threads, thread -> {
            MessageStore own = adapter.queueStore("apart-" + thread);
            List<CompletionStage<Void>> pending = new ArrayList<>(perThread);
            for (long s = 1; s <= perThread; s++) {
                pending.add(own.add(s, message(own.address(), s)));
            }
            return pending;
        });

        for (int thread = 0; thread < threads; thread++) {
            MessageStore queue = adapter.queueStore("apart-" + thread);
            assertEquals(perThread, queue.count(), queue.address().toString());
            assertMessageIds(readAll(queue, 1000), queue.address(), perThread);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Restarts through {@link #restart(PersistenceAdapter, Path)} and keeps the adapter it returns. */
    protected final void restartAdapter() throws Exception {
        adapter = restart(adapter, directory);
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("store write failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The failure of a call that must fail, whether it throws or returns a stage that completes
     * exceptionally.
     */
    protected static Throwable failure(Callable<?> call) throws Exception {
        Object result;
        try {
            result = call.call();
        } catch (Exception e) {
            return e;
        }
        if (!(result instanceof CompletionStage<?> stage)) {
            return fail("expected a failure but the call returned " + result);
        }
        try {
            stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        return fail("expected the call's stage to complete exceptionally, but it completed normally");
    }

    private static void assertStopped(Callable<?> call) throws Exception {
        Throwable failure = failure(call);
        assertInstanceOf(IllegalStateException.class, failure,
                "a call on a stopped adapter must fail with IllegalStateException, was " + failure);
    }

    private static void assertNamesTransaction(GlobalTransactionId xid, Throwable failure) {
        assertNotNull(failure.getMessage(), "failure without a message: " + failure);
        assertTrue(failure.getMessage().contains(xid.toString()),
                "the failure should name transaction " + xid + ": " + failure.getMessage());
    }

    /** A small text message whose ID and body are derived from its destination and sequence. */
    protected static MessageSnapshot message(Address destination, long sequence) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("sequence", sequence);
        return MessageSnapshot.builder()
                .messageId(idOf(destination, sequence))
                .timestamp(1_700_000_000_000L + sequence)
                .destination(destination)
                .producerId("ID:producer-1")
                .producerSequence(sequence)
                .properties(properties)
                .body(BodyType.TEXT, "body " + sequence)
                .build();
    }

    protected static String idOf(Address destination, long sequence) {
        return "ID:" + destination.name() + "-" + sequence;
    }

    protected static SubscriptionInfo subscription(String key) {
        if (key.equals(SUB_A)) {
            return new SubscriptionInfo("client", "a", null, false, false);
        }
        if (key.equals(SUB_B)) {
            return new SubscriptionInfo("client", "b", null, false, false);
        }
        if (key.equals(SUB_C)) {
            return new SubscriptionInfo(null, "c", null, false, true);
        }
        throw new IllegalArgumentException(key);
    }

    protected static GlobalTransactionId xid(int n) {
        return new GlobalTransactionId(0x5445524e, ("global-" + n).getBytes(), new byte[] {(byte) n, 7});
    }

    /** Adds messages {@code from..to} and waits for all of them. */
    protected static void addAll(MessageStore queue, long from, long to) throws Exception {
        List<CompletionStage<Void>> pending = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            pending.add(queue.add(s, message(queue.address(), s)));
        }
        for (CompletionStage<Void> stage : pending) {
            await(stage);
        }
    }

    protected static List<StoredMessage> readAll(MessageStore queue, int window) throws IOException {
        List<StoredMessage> all = new ArrayList<>();
        for (List<StoredMessage> page = queue.read(0, window); !page.isEmpty();
                page = queue.read(page.get(page.size() - 1).sequence(), window)) {
            all.addAll(page);
        }
        return all;
    }

    protected static List<StoredMessage> readAll(TopicMessageStore topic, String key, int window) throws IOException {
        List<StoredMessage> all = new ArrayList<>();
        for (List<StoredMessage> page = topic.read(key, 0, window); !page.isEmpty();
                page = topic.read(key, page.get(page.size() - 1).sequence(), window)) {
            all.addAll(page);
        }
        return all;
    }

    protected static List<Long> sequences(List<StoredMessage> stored) {
        return stored.stream().map(StoredMessage::sequence).toList();
    }

    private static List<Integer> deliveryCounts(List<StoredMessage> stored) {
        return stored.stream().map(StoredMessage::deliveryCount).toList();
    }

    /** The stored messages are exactly those {@link #message} makes for the given sequences, in order. */
    private static void assertMessages(List<StoredMessage> stored, Address destination, long... expected) {
        assertEquals(Arrays.stream(expected).boxed().toList(), sequences(stored), "sequences in " + destination);
        for (StoredMessage m : stored) {
            assertSnapshotEquals(message(destination, m.sequence()), m.message());
        }
    }

    private static void assertMessages(List<StoredMessage> stored, Address destination, long from, long to) {
        assertMessages(stored, destination, LongStream.rangeClosed(from, to).toArray());
    }

    private static void assertMessageIds(List<StoredMessage> stored, Address destination, int total) {
        assertEquals(total, stored.size());
        for (int i = 0; i < total; i++) {
            StoredMessage m = stored.get(i);
            assertEquals(i + 1, m.sequence(), "sequence at position " + i + " of " + destination);
            assertEquals(idOf(destination, m.sequence()), m.message().messageId());
        }
    }

    private static void assertRoundTrip(List<MessageSnapshot> expected, List<StoredMessage> stored) {
        assertEquals(expected.size(), stored.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i + 1, stored.get(i).sequence());
            assertSnapshotEquals(expected.get(i), stored.get(i).message());
        }
    }

    private static void assertPrepared(Map<GlobalTransactionId, List<TransactionOperation>> expected,
                                       Map<GlobalTransactionId, List<TransactionOperation>> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()),
                "prepared transactions in prepare order");
        for (Map.Entry<GlobalTransactionId, List<TransactionOperation>> e : expected.entrySet()) {
            List<TransactionOperation> ops = actual.get(e.getKey());
            assertEquals(e.getValue().size(), ops.size(), "operations of " + e.getKey());
            for (int i = 0; i < ops.size(); i++) {
                assertOperationEquals(e.getValue().get(i), ops.get(i));
            }
        }
    }

    private static void assertOperationEquals(TransactionOperation expected, TransactionOperation actual) {
        assertEquals(expected.getClass(), actual.getClass(), "operation kind");
        if (expected instanceof QueueAdd e) {
            QueueAdd a = (QueueAdd) actual;
            assertEquals(e.queue(), a.queue());
            assertEquals(e.sequence(), a.sequence());
            assertSnapshotEquals(e.message(), a.message());
        } else if (expected instanceof TopicAdd e) {
            TopicAdd a = (TopicAdd) actual;
            assertEquals(e.topic(), a.topic());
            assertEquals(e.sequence(), a.sequence());
            assertEquals(new HashSet<>(e.subscriptionKeys()), new HashSet<>(a.subscriptionKeys()));
            assertSnapshotEquals(e.message(), a.message());
        } else {
            assertEquals(expected, actual, "records without a message compare by value");
        }
    }

    /** Work one thread of {@link #runConcurrently} does; returns the stages it must wait for. */
    @FunctionalInterface
    protected interface WriterTask {
        List<CompletionStage<Void>> run(int thread) throws Exception;
    }

    /** Runs the task on {@code threads} threads released together, then waits for every stage. */
    protected static void runConcurrently(int threads, WriterTask task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<CompletionStage<Void>>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.run(thread);
                }));
            }
            assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            go.countDown();
            for (Future<List<CompletionStage<Void>>> writer : writers) {
                for (CompletionStage<Void> stage : writer.get(TIMEOUT_SECONDS * 4, TimeUnit.SECONDS)) {
                    await(stage);
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** One message of every body type, with every header and property type set. */
    protected static List<MessageSnapshot> sampleMessages(Address destination) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("aString", "text with ünïcödé ✓ 𝄞");
        properties.put("anInt", 42);
        properties.put("aLong", Long.MIN_VALUE);
        properties.put("aShort", (short) -7);
        properties.put("aByte", (byte) 0x7f);
        properties.put("aBoolean", true);
        properties.put("aFloat", 3.25f);
        properties.put("aDouble", -1.0e300);
        properties.put("JMSXGroupID", "group-1");
        properties.put("JMSXGroupSeq", 3);
        properties.put("emptyString", "");

        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Map<String, Object> mapBody = new LinkedHashMap<>();
        mapBody.put("name", "value");
        mapBody.put("int", 1);
        mapBody.put("long", 2L);
        mapBody.put("double", 0.5d);
        mapBody.put("float", 1.5f);
        mapBody.put("short", (short) 3);
        mapBody.put("byte", (byte) 4);
        mapBody.put("boolean", false);
        mapBody.put("char", 'x');
        mapBody.put("bytes", new byte[] {1, 2, 3});
        mapBody.put("nothing", null);
        List<Object> streamBody = Arrays.asList("one", 2, 3L, 4.0d, 5.0f, (short) 6, (byte) 7, true, 'c',
                new byte[] {8, 9}, null, "");
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new ArrayList<>(List.of("a", "serialized", "list")));
        }

        List<MessageSnapshot> samples = new ArrayList<>();
        samples.add(full(destination, "plain", properties).build());
        samples.add(full(destination, "text", properties).body(BodyType.TEXT, "héllo wörld ✓ 𝄞").build());
        samples.add(full(destination, "text-unset", Map.of()).body(BodyType.TEXT, null).build());
        samples.add(full(destination, "text-large", Map.of()).body(BodyType.TEXT, "0123456789".repeat(20_000)).build());
        samples.add(full(destination, "bytes", properties).body(BodyType.BYTES, bytes).build());
        samples.add(full(destination, "bytes-empty", Map.of()).body(BodyType.BYTES, new byte[0]).build());
        samples.add(full(destination, "map", properties)
                .body(BodyType.MAP, Collections.unmodifiableMap(mapBody)).build());
        samples.add(full(destination, "stream", properties)
                .body(BodyType.STREAM, Collections.unmodifiableList(streamBody)).build());
        samples.add(full(destination, "object", properties).body(BodyType.OBJECT, serialized.toByteArray()).build());
        samples.add(MessageSnapshot.builder()
                .messageId("ID:minimal")
                .destination(destination)
                .deliveryMode(DeliveryMode.NON_PERSISTENT)
                .priority(0)
                .correlationIdBytes(new byte[] {0, -1, 127, -128})
                .build());
        return samples.stream().collect(Collectors.toUnmodifiableList());
    }

    private static MessageSnapshot.Builder full(Address destination, String name, Map<String, Object> properties) {
        return MessageSnapshot.builder()
                .messageId("ID:sample-" + name)
                .timestamp(1_700_000_123_456L)
                .correlationId("correlation-" + name)
                .replyTo(new Address(Address.Kind.TEMP_QUEUE, "ID:connection-1:1"))
                .destination(destination)
                .type("sample/" + name)
                .deliveryMode(DeliveryMode.PERSISTENT)
                .expiration(1_800_000_000_000L)
                .priority(9)
                .deliveryTime(1_700_000_200_000L)
                .producerId("ID:producer-7")
                .producerSequence(123_456_789_012L)
                .properties(properties);
    }
}
