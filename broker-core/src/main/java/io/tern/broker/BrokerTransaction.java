package io.tern.broker;

import io.tern.protocol.MessageSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The sends of one local transaction, held by the broker until commit or rollback. Owned by the
 * client session that runs the transaction, so one thread at a time uses it (guarded by its
 * connection's transaction map).
 */
final class BrokerTransaction {

    private final List<MessageSnapshot> sends = new ArrayList<>();

    synchronized void addSend(MessageSnapshot message) {
        sends.add(message);
    }

    synchronized List<MessageSnapshot> sends() {
        return new ArrayList<>(sends);
    }
}
