package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.GlobalTransactionId;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoredMessage;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionOperation;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a store holds, as comparable text: what recovery tests compare before and after a crash,
 * a rebuild or a compaction.
 */
final class StoreState {

    private StoreState() {
    }

    static Map<String, String> capture(PersistenceAdapter adapter) throws IOException {
        Map<String, String> state = new TreeMap<>();
        for (Address a : adapter.destinations()) {
            if (a.isTopic()) {
                TopicMessageStore topic = adapter.topicStore(a.name());
                state.put(a + " last", String.valueOf(topic.lastSequence()));
                for (SubscriptionInfo s : topic.subscriptions()) {
                    state.put(a + " " + s.key(), s + " count=" + topic.count(s.key()) + " "
                            + describe(StoreFixture.readAll(topic, s.key())));
                }
            } else {
                MessageStore queue = adapter.queueStore(a.name());
                state.put(a + " last", String.valueOf(queue.lastSequence()));
                state.put(a + " count", queue.count() + " bytes=" + queue.sizeBytes());
                state.put(a + " messages", describe(StoreFixture.readAll(queue)));
            }
        }
        for (Map.Entry<GlobalTransactionId, List<TransactionOperation>> e
                : adapter.transactionStore().recoverPrepared().entrySet()) {
            state.put("prepared " + e.getKey(), e.getValue().stream().map(StoreState::describe).toList().toString());
        }
        state.put("usage", String.valueOf(adapter.usage().usedBytes()));
        return state;
    }

    private static String describe(List<StoredMessage> messages) {
        StringBuilder b = new StringBuilder("[");
        for (StoredMessage m : messages) {
            b.append(m.sequence()).append(':').append(m.message().messageId()).append(':').append(m.deliveryCount())
                    .append(' ');
        }
        return b.append(']').toString();
    }

    private static String describe(TransactionOperation op) {
        if (op instanceof TransactionOperation.QueueAdd add) {
            return "QueueAdd(" + add.queue() + "," + add.sequence() + "," + add.message().messageId() + ")";
        }
        if (op instanceof TransactionOperation.TopicAdd add) {
            return "TopicAdd(" + add.topic() + "," + add.sequence() + "," + add.message().messageId() + ","
                    + add.subscriptionKeys() + ")";
        }
        return op.toString();
    }
}
