package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.ActivationListener;
import io.tern.store.GlobalTransactionId;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoreUsage;
import io.tern.store.StoredMessage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionStore;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A store in front of kahadb for the crash test's child. It prints what the broker asked of the store
 * and what the store completed, by queue sequence (unique across the test's broker runs): {@code W
 * uid@seq} when an add (or the commit holding it) completed, {@code W Puid@seq} for each message a read
 * returned, {@code W X@seq} when a removal completed, and through {@code removed} {@code uid@seq} when the
 * broker asked for a removal. So the test checks the store against exactly what it was asked. Queues
 * only; everything else passes through.
 */
final class RemovalLoggingAdapter implements PersistenceAdapter {

    private final PersistenceAdapter store;
    private final Consumer<String> removed;
    private final Consumer<String> written;
    private final Map<String, Map<Long, String>> uids = new ConcurrentHashMap<>();

    RemovalLoggingAdapter(PersistenceAdapter store, Consumer<String> removed, Consumer<String> written) {
        this.store = store;
        this.removed = removed;
        this.written = written;
    }

    private Map<Long, String> uidsOf(String queue) {
        return uids.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
    }

    private void remember(String queue, long sequence, MessageSnapshot m) {
        Object uid = m.properties().get("uid");
        if (uid != null) {
            uidsOf(queue).put(sequence, uid.toString());
        }
    }

    private void removing(String queue, long sequence) {
        String uid = uidsOf(queue).remove(sequence);
        removed.accept((uid == null ? "?" : uid) + "@" + sequence);
    }

    @Override
    public String type() {
        return store.type();
    }

    @Override
    public void start(ActivationListener listener) throws IOException {
        store.start(listener);
    }

    @Override
    public void stop() throws IOException {
        store.stop();
    }

    @Override
    public boolean isDurable() {
        return store.isDurable();
    }

    @Override
    public Set<Address> destinations() {
        return store.destinations();
    }

    @Override
    public MessageStore queueStore(String queueName) throws IOException {
        MessageStore q = store.queueStore(queueName);
        return new MessageStore() {
            public Address address() {
                return q.address();
            }

            public CompletionStage<Void> add(long sequence, MessageSnapshot message) {
                remember(queueName, sequence, message);
                Object uid = message.properties().get("uid");
                return q.add(sequence, message).thenRun(() -> written.accept(uid + "@" + sequence));
            }

            public CompletionStage<Void> remove(long sequence) {
                removing(queueName, sequence);
                return q.remove(sequence).thenRun(() -> written.accept("X@" + sequence));
            }

            public CompletionStage<Void> updateDeliveryCount(long sequence, int deliveryCount) {
                return q.updateDeliveryCount(sequence, deliveryCount);
            }

            public CompletionStage<Void> recordDispatchMark(long mark) {
                return q.recordDispatchMark(mark);
            }

            public long dispatchMark() {
                return q.dispatchMark();
            }

            public List<StoredMessage> read(long afterSequence, int max) throws IOException {
                List<StoredMessage> page = q.read(afterSequence, max);
                page.forEach(m -> {
                    remember(queueName, m.sequence(), m.message());
                    written.accept("P" + m.message().properties().get("uid") + "@" + m.sequence());
                });
                return page;
            }

            public long lastSequence() {
                return q.lastSequence();
            }

            public long count() {
                return q.count();
            }

            public long sizeBytes() {
                return q.sizeBytes();
            }

            public CompletionStage<Void> removeAll() {
                return q.removeAll();
            }
        };
    }

    @Override
    public TopicMessageStore topicStore(String topicName) throws IOException {
        return store.topicStore(topicName);
    }

    @Override
    public void removeDestination(Address address) throws IOException {
        store.removeDestination(address);
    }

    @Override
    public TransactionStore transactionStore() {
        TransactionStore t = store.transactionStore();
        return new TransactionStore() {
            public CompletionStage<Void> commit(List<TransactionOperation> operations) {
                for (TransactionOperation op : operations) {
                    if (op instanceof TransactionOperation.QueueAdd add) {
                        remember(add.queue(), add.sequence(), add.message());
                    } else if (op instanceof TransactionOperation.QueueRemove remove) {
                        removing(remove.queue(), remove.sequence());
                    }
                }
                return t.commit(operations).thenRun(() -> {
                    for (TransactionOperation op : operations) {
                        if (op instanceof TransactionOperation.QueueAdd add) {
                            written.accept(add.message().properties().get("uid") + "@" + add.sequence());
                        } else if (op instanceof TransactionOperation.QueueRemove remove) {
                            written.accept("X@" + remove.sequence());
                        }
                    }
                });
            }

            public CompletionStage<Void> prepare(GlobalTransactionId xid, List<TransactionOperation> operations) {
                return t.prepare(xid, operations);
            }

            public CompletionStage<Void> commitPrepared(GlobalTransactionId xid) {
                return t.commitPrepared(xid);
            }

            public CompletionStage<Void> rollbackPrepared(GlobalTransactionId xid) {
                return t.rollbackPrepared(xid);
            }

            public Map<GlobalTransactionId, List<TransactionOperation>> recoverPrepared() throws IOException {
                return t.recoverPrepared();
            }

            public boolean hasCommitted(String outcomeKey) throws IOException {
                return t.hasCommitted(outcomeKey);
            }

            public long producerHighWater(String producerId) throws IOException {
                return t.producerHighWater(producerId);
            }
        };
    }

    @Override
    public StoreUsage usage() {
        return store.usage();
    }

    @Override
    public void deleteAllMessages() throws IOException {
        store.deleteAllMessages();
    }
}
