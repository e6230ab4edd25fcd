package io.tern.store.kahadb;

import io.tern.store.GlobalTransactionId;
import io.tern.store.TransactionOperation;

import java.util.List;

/**
 * A prepared two-phase transaction: its prepare order (never reused), its ID and its operations, kept
 * in memory because there are few and they are short-lived. The applier owns {@code indexed} and
 * {@code location}.
 */
final class PreparedState {

    final long order;
    final GlobalTransactionId xid;
    final List<TransactionOperation> operations;

    // Owned by the applier.
    boolean indexed;
    Location location;

    PreparedState(long order, GlobalTransactionId xid, List<TransactionOperation> operations) {
        this.order = order;
        this.xid = xid;
        this.operations = List.copyOf(operations);
    }
}
