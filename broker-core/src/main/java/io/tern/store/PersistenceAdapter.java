package io.tern.store;

import io.tern.protocol.Address;

import java.io.IOException;
import java.util.Set;

/**
 * Where a broker keeps its persistent state. One adapter serves one broker.
 *
 * <p><b>Activation.</b> {@link #start} returns when this broker may write to the store: at once for a
 * local store, after winning a file lock, a database lease or an election for a shared or replicated
 * one. When the store later loses that right it calls {@link ActivationListener#activationLost}, and
 * the broker stops serving clients at once.
 *
 * <p><b>Writes are asynchronous.</b> Every write returns a {@link java.util.concurrent.CompletionStage}
 * that completes when the write is as durable as the store promises, so a store may group-commit many
 * writers with one sync. Writes submitted from one thread are applied in submission order. Reads are
 * synchronous and may block on I/O: the broker never calls them from a transport thread.
 *
 * <p><b>Threading.</b> Implementations are thread-safe: the broker calls them from many destination
 * threads at once.
 */
public interface PersistenceAdapter {

    /** The store type name this adapter was created for ({@code memory}, {@code kahadb}, ...). */
    String type();

    /**
     * Starts the store and returns when this broker may write to it. Blocks while another broker
     * holds the right to write (shared and replicated stores).
     *
     * @param listener told when this broker loses the right to write after start returned
     */
    void start(ActivationListener listener) throws IOException;

    /** Stops the store, flushing what was written. Idempotent. After stop, start may be called again. */
    void stop() throws IOException;

    /**
     * True when what the store holds survives the process (every store except {@code memory}).
     */
    boolean isDurable();

    /** The queues and topics that have stores, as recovered at start and created since. */
    Set<Address> destinations();

    /** The store of a queue, created on first use. */
    MessageStore queueStore(String queueName) throws IOException;

    /** The store of a topic (durable subscriptions and their messages), created on first use. */
    TopicMessageStore topicStore(String topicName) throws IOException;

    /** Removes a destination and everything stored for it. */
    void removeDestination(Address address) throws IOException;

    /** Atomic multi-destination writes and prepared two-phase transactions. */
    TransactionStore transactionStore();

    /** Bytes held, and the limit beyond which producers are held back. */
    StoreUsage usage();

    /** Deletes every message, subscription and prepared transaction. */
    void deleteAllMessages() throws IOException;
}
