package io.tern.store.memory;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.ActivationListener;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterContract;
import io.tern.store.PersistenceAdapterFactory;
import io.tern.store.StoreConfigurationException;
import io.tern.store.StoreSettings;
import io.tern.store.StoreUsage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation.QueueAdd;
import io.tern.store.TransactionOperation.QueueRemove;
import io.tern.store.TransactionStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory store against the store contract, plus what only the memory store promises. */
class MemoryPersistenceAdapterTest extends PersistenceAdapterContract {

    private static final String SUB_X = SubscriptionInfo.keyOf("c", "x", false);
    private static final String SUB_Y = SubscriptionInfo.keyOf("c", "y", false);
    private static final String SUB_Z = SubscriptionInfo.keyOf("c", "z", false);

    @Override
    protected PersistenceAdapter createAdapter(Path directory) {
        return new MemoryPersistenceAdapter();
    }

    /** A memory store recovers only when the same instance is started again. */
    @Override
    protected PersistenceAdapter restart(PersistenceAdapter adapter, Path directory) throws Exception {
        adapter.stop();
        adapter.start(ActivationListener.NONE);
        return adapter;
    }

    // ---------------------------------------------------------------- configuration

    @Test
    void theFactoryForTypeMemoryCreatesANonDurableAdapterWithTheConfiguredLimit() {
        PersistenceAdapterFactory factory = PersistenceAdapterFactory.forType("memory");
        assertInstanceOf(MemoryPersistenceAdapterFactory.class, factory);
        PersistenceAdapter created = factory.create(settings(Map.of("limit", "512mb")));
        assertEquals("memory", created.type());
        assertFalse(created.isDurable());
        assertEquals(new StoreUsage(0, 512L * 1024 * 1024), created.usage());
    }

    @Test
    void theLimitDefaultsToOneGibibyte() {
        PersistenceAdapter created = new MemoryPersistenceAdapterFactory().create(settings(Map.of()));
        assertEquals(1024L * 1024 * 1024, created.usage().limitBytes());
        assertEquals(1024L * 1024 * 1024, new MemoryPersistenceAdapter().usage().limitBytes());
    }

    @Test
    void anUnknownSettingIsAnErrorNamingItsKey() {
        StoreConfigurationException e = assertThrows(StoreConfigurationException.class,
                () -> new MemoryPersistenceAdapterFactory().create(settings(Map.of("limit", "1mb", "xyz", "1"))));
        assertEquals("store.memory.xyz", e.key());
        assertTrue(e.getMessage().contains("store.memory.xyz"), e.getMessage());
        assertTrue(e.getMessage().contains("limit"), "lists the known settings: " + e.getMessage());
    }

    @Test
    void aBadLimitIsAnErrorNamingTheKey() {
        for (String bad : List.of("lots", "0", "-1", "12qb", "")) {
            StoreConfigurationException e = assertThrows(StoreConfigurationException.class,
                    () -> new MemoryPersistenceAdapterFactory().create(settings(Map.of("limit", bad))), bad);
            assertEquals("store.memory.limit", e.key(), bad);
            assertTrue(e.getMessage().startsWith("store.memory.limit: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new MemoryPersistenceAdapter(0));
    }

    // ---------------------------------------------------------------- memory semantics

    @Test
    void writesAreCompleteWhenTheyReturn() throws Exception {
        MessageStore queue = adapter.queueStore("immediate");
        assertTrue(queue.add(1, message(queue.address(), 1)).toCompletableFuture().isDone());
        assertTrue(queue.updateDeliveryCount(1, 2).toCompletableFuture().isDone());
        assertTrue(queue.remove(1).toCompletableFuture().isDone());
        assertTrue(adapter.transactionStore().commit(List.of(new QueueAdd("immediate", 2, message(queue.address(), 2))))
                .toCompletableFuture().isDone());
        assertEquals(2, queue.read(0, 10).get(0).sequence());
    }

    @Test
    void aNewInstanceHoldsNothing() throws Exception {
        addAll(adapter.queueStore("kept-in-one-instance"), 1, 3);
        PersistenceAdapter other = createAdapter(directory);
        other.start(ActivationListener.NONE);
        try {
            assertEquals(Set.of(), other.destinations());
            assertEquals(0, other.usage().usedBytes());
        } finally {
            other.stop();
        }
    }

    @Test
    void startingARunningAdapterIsAnError() {
        assertThrows(IllegalStateException.class, () -> adapter.start(ActivationListener.NONE));
    }

    @Test
    void usageCountsEachMessageByItsEncodingOrEstimateAgainstTheLimit() throws Exception {
        adapter.stop();
        adapter = new MemoryPersistenceAdapter(10_000);
        adapter.start(ActivationListener.NONE);
        MessageStore queue = adapter.queueStore("usage");

        MessageSnapshot encoded = message(queue.address(), 1);
        encoded.cacheEncoding(new byte[3_000]);
        await(queue.add(1, encoded));
        assertEquals(new StoreUsage(3_000, 10_000), adapter.usage());
        assertEquals(3_000, queue.sizeBytes());

        MessageSnapshot estimated = message(queue.address(), 2);
        await(queue.add(2, estimated));
        long expected = 3_000 + estimated.estimatedSize();
        assertEquals(expected, adapter.usage().usedBytes());
        assertEquals(expected, queue.sizeBytes());
        assertFalse(adapter.usage().isFull());

        MessageSnapshot large = message(queue.address(), 3);
        large.cacheEncoding(new byte[8_000]);
        await(queue.add(3, large));
        assertTrue(adapter.usage().isFull(), "over the limit: " + adapter.usage());
        await(queue.add(4, message(queue.address(), 4)));
        assertEquals(4, queue.count(), "the limit is for flow control; the store itself refuses nothing");

        estimated.cacheEncoding(new byte[1]);
        await(queue.removeAll());
        assertEquals(0, adapter.usage().usedBytes(), "removal subtracts what was added, even if the size changed");
    }

    @Test
    void aTopicMessageIsHeldOnceHoweverManySubscriptionsClaimIt() throws Exception {
        TopicMessageStore topic = adapter.topicStore("once");
        for (String key : List.of(SUB_X, SUB_Y, SUB_Z)) {
            await(topic.addSubscription(subscriptionInfo(key)));
        }
        MessageSnapshot m = message(topic.address(), 1);
        m.cacheEncoding(new byte[1_000]);
        await(topic.add(1, m, List.of(SUB_X, SUB_Y, SUB_Z)));
        assertEquals(1_000, adapter.usage().usedBytes());

        await(topic.acknowledge(SUB_X, 1));
        await(topic.removeSubscription(SUB_Y));
        assertEquals(1_000, adapter.usage().usedBytes(), "still owed to " + SUB_Z);
        await(topic.acknowledge(SUB_Z, 1));
        assertEquals(0, adapter.usage().usedBytes(), "gone once the last claim went");

        await(topic.add(2, m, List.of(SUB_X, SUB_Z)));
        await(topic.addSubscription(new SubscriptionInfo("c", "x", "changed = true", false, false)));
        assertEquals(1_000, adapter.usage().usedBytes());
        await(topic.addSubscription(new SubscriptionInfo("c", "z", null, true, false)));
        assertEquals(0, adapter.usage().usedBytes(), "replacing both subscriptions dropped their claims");
    }

    @Test
    void aTopicMessageForNoCurrentSubscriptionIsNotKept() throws Exception {
        TopicMessageStore topic = adapter.topicStore("orphan");
        await(topic.addSubscription(subscriptionInfo(SUB_X)));
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_Y)));
        await(topic.add(2, message(topic.address(), 2), List.of(SUB_X, SUB_Y)));
        assertEquals(2, topic.lastSequence());
        assertEquals(1, topic.count(SUB_X));

        await(topic.addSubscription(subscriptionInfo(SUB_Y)));
        assertEquals(0, topic.count(SUB_Y), "a later subscription under an old key inherits nothing");
        await(topic.acknowledge(SUB_X, 2));
        assertEquals(0, adapter.usage().usedBytes());
    }

    @Test
    void storesOfARemovedDestinationRefuseEveryCall() throws Exception {
        MessageStore queue = adapter.queueStore("removed");
        TopicMessageStore topic = adapter.topicStore("removed-topic");
        addAll(queue, 1, 5);
        await(topic.addSubscription(subscriptionInfo(SUB_X)));
        await(topic.add(1, message(topic.address(), 1), List.of(SUB_X)));

        adapter.removeDestination(Address.queue("removed"));
        adapter.removeDestination(Address.topic("removed-topic"));
        adapter.removeDestination(new Address(Address.Kind.TEMP_QUEUE, "never-stored"));
        assertEquals(0, adapter.usage().usedBytes());
        assertThrows(IllegalStateException.class, () -> queue.add(6, message(queue.address(), 6)));
        assertThrows(IllegalStateException.class, () -> queue.read(0, 10));
        assertThrows(IllegalStateException.class, () -> topic.acknowledge(SUB_X, 1));
        assertEquals(0, adapter.queueStore("removed").count());

        MessageStore later = adapter.queueStore("later");
        adapter.deleteAllMessages();
        assertThrows(IllegalStateException.class, later::count);
    }

    @Test
    void preparedTransactionsCountInUsageUntilCommittedOrRolledBack() throws Exception {
        TransactionStore transactions = adapter.transactionStore();
        MessageSnapshot m = message(Address.queue("xa-usage"), 1);
        m.cacheEncoding(new byte[500]);
        await(transactions.prepare(xid(1), List.of(new QueueAdd("xa-usage", 1, m))));
        await(transactions.prepare(xid(2), List.of(new QueueAdd("xa-usage", 2, m))));
        assertEquals(1_000, adapter.usage().usedBytes());

        await(transactions.rollbackPrepared(xid(2)));
        assertEquals(500, adapter.usage().usedBytes());
        await(transactions.commitPrepared(xid(1)));
        assertEquals(500, adapter.usage().usedBytes(), "now held by the queue");
        assertEquals(1, adapter.queueStore("xa-usage").count());
    }

    @Test
    void preparingTheSameTransactionTwiceFails() throws Exception {
        TransactionStore transactions = adapter.transactionStore();
        await(transactions.prepare(xid(1), List.of(new QueueRemove("q", 1))));
        Throwable failure = failure(() -> transactions.prepare(xid(1), List.of()));
        assertInstanceOf(IllegalArgumentException.class, failure);
        assertTrue(failure.getMessage().contains(xid(1).toString()), failure.getMessage());
    }

    @Test
    void aPreparedTransactionWhoseCommitConflictsStaysPrepared() throws Exception {
        MessageStore queue = adapter.queueStore("xa-conflict");
        TransactionStore transactions = adapter.transactionStore();
        await(transactions.prepare(xid(1), List.of(new QueueAdd("xa-conflict", 1, message(queue.address(), 1)))));
        await(queue.add(1, message(queue.address(), 1)));

        Throwable failure = failure(() -> transactions.commitPrepared(xid(1)));
        assertInstanceOf(IllegalArgumentException.class, failure);
        assertTrue(failure.getMessage().contains("sequence 1 is already stored in queue://xa-conflict"),
                failure.getMessage());
        assertEquals(Set.of(xid(1)), transactions.recoverPrepared().keySet());
        await(transactions.rollbackPrepared(xid(1)));
    }

    @Test
    void badArgumentsAreRefusedAtOnce() throws Exception {
        MessageStore queue = adapter.queueStore("arguments");
        assertThrows(IllegalArgumentException.class, () -> queue.add(0, message(queue.address(), 0)));
        assertThrows(NullPointerException.class, () -> queue.add(1, null));
        assertThrows(IllegalArgumentException.class, () -> queue.read(0, -1));
        assertThrows(IllegalArgumentException.class, () -> adapter.queueStore("has space"));
        assertThrows(IllegalArgumentException.class, () -> adapter.topicStore(""));
        assertThrows(IllegalArgumentException.class, () -> adapter.transactionStore()
                .commit(List.of(new QueueAdd("arguments", -5, message(queue.address(), 1)))));
        assertEquals(0, queue.count());
    }

    private static StoreSettings settings(Map<String, String> values) {
        return new StoreSettings("store.memory.", values, "test-broker", Path.of("unused"));
    }

    private static SubscriptionInfo subscriptionInfo(String key) {
        String name = key.substring(key.lastIndexOf(':') + 1);
        return new SubscriptionInfo("c", name, null, false, false);
    }
}
