package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.GlobalTransactionId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The destinations, subscriptions and prepared transactions of a running store, with the store's usage.
 * Its size grows with the number of destinations, subscriptions and prepared transactions, never with
 * the number of messages.
 *
 * <p><b>Threads.</b> The maps are concurrent. The submitting side ({@code byAddress},
 * {@code preparedByXid}, {@code nextId}, {@code nextPrepareOrder}) changes under the store's append lock;
 * the applier's side ({@code byId}, {@code preparedByOrder}) changes on the applier thread only, so an
 * entry lives there until the record that removes it has been applied.
 */
final class Registry {

    final Map<Address, DestinationState> byAddress = new ConcurrentHashMap<>();
    final Map<Long, DestinationState> byId = new ConcurrentHashMap<>();
    final Map<GlobalTransactionId, PreparedState> preparedByXid = new ConcurrentHashMap<>();
    final Map<Long, PreparedState> preparedByOrder = new ConcurrentHashMap<>();
    /** Bytes of the messages stored now, as applied. */
    final AtomicLong usedBytes = new AtomicLong();

    /** Guarded by the append lock: the next destination or subscription ID. */
    long nextId = 1;
    /** Guarded by the append lock: the next prepare order. */
    long nextPrepareOrder = 1;
}
