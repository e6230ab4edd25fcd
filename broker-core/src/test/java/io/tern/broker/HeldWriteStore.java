package io.tern.broker;

import io.tern.protocol.Address;
import io.tern.store.ActivationListener;
import io.tern.store.GlobalTransactionId;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoreUsage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionStore;
import io.tern.store.memory.MemoryPersistenceAdapter;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * A memory store whose commits (and queue adds), while held, are applied at once but reported done only
 * when the test releases them: the window in which a write is in the store but not yet acknowledged to
 * the broker.
 */
final class HeldWriteStore implements PersistenceAdapter {

    private final MemoryPersistenceAdapter delegate = new MemoryPersistenceAdapter();
    private volatile CompletableFuture<Void> gate;
    private volatile CompletableFuture<Void> addGate;
    private volatile CountDownLatch applied = new CountDownLatch(1);

    /** Holds the completion of every commit from now until {@link #release}. */
    void hold() {
        applied = new CountDownLatch(1);
        gate = new CompletableFuture<>();
    }

    /** Holds the completion of every queue add from now until {@link #release}. */
    void holdAdds() {
        applied = new CountDownLatch(1);
        addGate = new CompletableFuture<>();
    }

    void release() {
        for (CompletableFuture<Void> g : new CompletableFuture[] {gate, addGate}) {
            if (g != null) {
                g.complete(null);
            }
        }
        gate = null;
        addGate = null;
    }

    /** Waits until a held commit was applied to the store. */
    void awaitApplied() throws InterruptedException {
        if (!applied.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("no commit reached the store within 10 s");
        }
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public void start(ActivationListener listener) {
        delegate.start(listener);
    }

    @Override
    public void stop() {
        delegate.stop();
    }

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public Set<Address> destinations() {
        return delegate.destinations();
    }

    @Override
    public MessageStore queueStore(String queueName) {
        MessageStore q = delegate.queueStore(queueName);
        return new MessageStore() {
            @Override
            public Address address() {
                return q.address();
            }

            @Override
            public CompletionStage<Void> add(long sequence, io.tern.protocol.MessageSnapshot message) {
                CompletionStage<Void> done = q.add(sequence, message);
                CompletableFuture<Void> g = addGate;
                applied.countDown();
                return g == null ? done : done.thenCombine(g, (a, b) -> null);
            }

            @Override
            public CompletionStage<Void> remove(long sequence) {
                return q.remove(sequence);
            }

            @Override
            public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
                return q.updateDeliveryCount(sequence, deliveryCount);
            }

            @Override
            public CompletionStage<Void> recordDispatchMark(long mark) {
                return q.recordDispatchMark(mark);
            }

            @Override
            public long dispatchMark() {
                return q.dispatchMark();
            }

            @Override
            public List<io.tern.store.StoredMessage> read(long afterSequence, int max) throws IOException {
                return q.read(afterSequence, max);
            }

            @Override
            public long lastSequence() {
                return q.lastSequence();
            }

            @Override
            public long count() {
                return q.count();
            }

            @Override
            public long sizeBytes() {
                return q.sizeBytes();
            }

            @Override
            public CompletionStage<Void> removeAll() {
                return q.removeAll();
            }
        };
    }

    @Override
    public TopicMessageStore topicStore(String topicName) {
        return delegate.topicStore(topicName);
    }

    @Override
    public void removeDestination(Address address) {
        delegate.removeDestination(address);
    }

    @Override
    public TransactionStore transactionStore() {
        TransactionStore t = delegate.transactionStore();
        return new TransactionStore() {
            @Override
            public CompletionStage<Void> commit(List<TransactionOperation> operations) {
                CompletionStage<Void> done = t.commit(operations);
                CompletableFuture<Void> g = gate;
                applied.countDown();
                return g == null ? done : done.thenCombine(g, (a, b) -> null);
            }

            @Override
            public CompletionStage<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations) {
                return t.prepare(xid, operations);
            }

            @Override
            public CompletionStage<Void> commitPrepared(GlobalTransactionId xid) {
                return t.commitPrepared(xid);
            }

            @Override
            public CompletionStage<Void> rollbackPrepared(GlobalTransactionId xid) {
                return t.rollbackPrepared(xid);
            }

            @Override
            public Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() throws IOException {
                return t.recoverPrepared();
            }

            @Override
            public boolean hasCommitted(String outcomeKey) throws IOException {
                return t.hasCommitted(outcomeKey);
            }

            @Override
            public long producerHighWater(String producerId) throws IOException {
                return t.producerHighWater(producerId);
            }
        };
    }

    @Override
    public StoreUsage usage() {
        return delegate.usage();
    }

    @Override
    public void deleteAllMessages() {
        delegate.deleteAllMessages();
    }
}
