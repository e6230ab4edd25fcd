package io.tern.transport.failover;

import io.tern.transport.ConsumerSpec;
import io.tern.protocol.Address;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a reconnection must restore on the next link (client ID, consumers, temporary destinations, producers'
 * destination checks) and the sends it must resend there, recorded by application calls before they reach a
 * broker.
 *
 * <p><b>Threads.</b> Everything here is guarded by the connection's state lock, which this shares with the
 * {@link FailoverBrokerConnection} that owns the state machine. Each method takes that lock (it is reentrant),
 * so the failover connection may call them inside its own critical sections, making a record atomic with a
 * state change, and the reconnecting thread may call them as they are. No method calls a broker. Application
 * threads record and forget; the reconnecting thread reads snapshots; links' I/O threads settle sends.
 */
final class RestorableState {

    /** Producers' destination checks remembered for re-checking; beyond this, new ones are not recorded. */
    private static final int MAX_CHECKED_DESTINATIONS = 10_000;

    private final ReentrantLock lock;
    private String clientId;
    private final Map<Long, ConsumerSpec> consumers = new LinkedHashMap<>();
    private final Set<Address> temporaries = new LinkedHashSet<>();
    private final Set<Address> checked = new LinkedHashSet<>();
    /** Sends not yet confirmed by a broker, in the order they were made. */
    private final Set<PendingSend> unconfirmed = new LinkedHashSet<>();

    RestorableState(ReentrantLock stateLock) {
        this.lock = stateLock;
    }

    /** What is restored before the consumers, read at once. */
    record Snapshot(String clientId, List<Address> temporaries, List<Address> checked) {
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(clientId, new ArrayList<>(temporaries), new ArrayList<>(checked));
        } finally {
            lock.unlock();
        }
    }

    void clientId(String id) {
        lock.lock();
        try {
            clientId = id;
        } finally {
            lock.unlock();
        }
    }

    void addConsumer(ConsumerSpec spec) {
        lock.lock();
        try {
            consumers.put(spec.consumerId(), spec);
        } finally {
            lock.unlock();
        }
    }

    void removeConsumer(long consumerId) {
        lock.lock();
        try {
            consumers.remove(consumerId);
        } finally {
            lock.unlock();
        }
    }

    List<ConsumerSpec> consumers() {
        lock.lock();
        try {
            return new ArrayList<>(consumers.values());
        } finally {
            lock.unlock();
        }
    }

    void addTemporary(Address address) {
        lock.lock();
        try {
            temporaries.add(address);
        } finally {
            lock.unlock();
        }
    }

    void removeTemporary(Address address) {
        lock.lock();
        try {
            temporaries.remove(address);
        } finally {
            lock.unlock();
        }
    }

    boolean hasTemporary(Address address) {
        lock.lock();
        try {
            return temporaries.contains(address);
        } finally {
            lock.unlock();
        }
    }

    void checked(Address address) {
        lock.lock();
        try {
            if (checked.size() < MAX_CHECKED_DESTINATIONS) {
                checked.add(address);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fills in what is on {@code link} but no longer recorded: the consumers closed and the temporary
     * destinations deleted while the link was being restored.
     */
    void closedSinceRestored(Link link, List<Long> closedConsumers, List<Address> deletedTemporaries) {
        lock.lock();
        try {
            for (Long id : link.credit.consumerIds()) {
                if (!consumers.containsKey(id)) {
                    closedConsumers.add(id);
                }
            }
            for (Address a : link.temporaries) {
                if (!temporaries.contains(a)) {
                    deletedTemporaries.add(a);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void addUnconfirmed(PendingSend p, Link link) {
        lock.lock();
        try {
            p.link = link;
            unconfirmed.add(p);
        } finally {
            lock.unlock();
        }
    }

    /** The unconfirmed sends, in order, now marked as issued on {@code link} (the caller resends them). */
    List<PendingSend> unconfirmedReissuedOn(Link link) {
        lock.lock();
        try {
            List<PendingSend> sends = new ArrayList<>(unconfirmed);
            for (PendingSend p : sends) {
                p.link = link;
            }
            return sends;
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every unconfirmed send (the caller fails them). */
    List<PendingSend> takeUnconfirmed() {
        lock.lock();
        try {
            List<PendingSend> sends = new ArrayList<>(unconfirmed);
            unconfirmed.clear();
            return sends;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a receipt from {@code link} settles the send: not when it was settled already, nor when it
     * failed on a link other than the one it was last issued on.
     */
    boolean settle(PendingSend p, Link link, boolean failed) {
        lock.lock();
        try {
            if (failed && p.link != link) {
                return false; // it was issued again since; the newer link's receipt settles it
            }
            return unconfirmed.remove(p);
        } finally {
            lock.unlock();
        }
    }
}
