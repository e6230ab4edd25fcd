package io.tern.transport;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import jakarta.jms.JMSException;

import java.util.concurrent.CompletableFuture;

/**
 * A client's connection to a broker, whatever the transport: the vm transport calls the broker's
 * connection object directly, the tcp transport encodes each call as a command.
 *
 * <p>Errors are the JMS exceptions the spec names. Callers must not hold locks that the delivery
 * path of their {@link DeliveryListener} takes: the broker may deliver from inside these calls.
 */
public interface BrokerConnection {

    /** Claims a client ID for this connection; {@code InvalidClientIDException} when in use. */
    void setClientId(String clientId) throws JMSException;

    /** The broker's name, for metadata and errors. */
    String brokerName();

    /**
     * Sends a message. The future completes when the broker holds it (persistent: durably stored) or,
     * inside a transaction ({@code transactionId != 0}), when the broker has added it to the transaction.
     * It completes exceptionally with a {@code JMSException} (for example
     * {@code ResourceAllocationException} under flow control, {@code InvalidDestinationException}).
     */
    CompletableFuture<Void> send(long transactionId, MessageSnapshot message);

    /** Checks that a producer may send to a destination (exists, or may be created). */
    void checkDestination(Address address) throws JMSException;

    /** Creates a consumer; deliveries for it go to the connection's listener. */
    void addConsumer(ConsumerSpec spec) throws JMSException;

    /** Gives a consumer room for {@code messages} more deliveries. */
    void addCredit(long consumerId, int messages);

    /**
     * Closes a consumer: no delivery for it follows. The client then {@link #release}s what is still in
     * its buffer; deliveries the application saw but did not acknowledge stay pending until acknowledged
     * or released.
     */
    void removeConsumer(long consumerId) throws JMSException;

    /** Acknowledges deliveries; returns when the broker recorded it (durably for persistent messages). */
    void acknowledge(long[] deliveryIds) throws JMSException;

    /**
     * Acknowledges like {@link #acknowledge}, for an application that counts a message as consumed when its
     * acknowledgement returns ({@code CLIENT_ACKNOWLEDGE}). A connection that may lose a reply and carry on
     * over another broker connection (failover) finds out whether the broker recorded it, at the cost of an
     * outcome record at the broker, rather than report that it does not know: it returns when the broker
     * recorded it and throws, saying the messages come again, when it did not.
     */
    default void acknowledgeAndConfirm(long[] deliveryIds) throws JMSException {
        acknowledge(deliveryIds);
    }

    /**
     * Gives deliveries back for redelivery: those {@code seen} by the application count as delivered
     * (their next delivery is flagged redelivered), the others were only buffered.
     */
    void release(long[] deliveryIds, boolean seen) throws JMSException;

    /** Commits a transaction: its sends become visible and {@code acknowledged} deliveries are consumed. */
    void commit(long transactionId, long[] acknowledged) throws JMSException;

    /**
     * Commits like {@link #commit} and records the outcome under {@code outcomeKey}, a key the client
     * chose for this transaction and never reuses, so that a client that lost the reply (a failover
     * client whose connection dropped) can ask {@link #transactionCommitted} on its next connection. The
     * broker writes the key into the store with the transaction's own writes, so the answer survives a
     * restart. A commit whose key was already answered "not committed" is refused with
     * {@code TransactionRolledBackException} and rolled back.
     */
    void commit(long transactionId, long[] acknowledged, String outcomeKey) throws JMSException;

    /**
     * Whether the transaction committed under {@code outcomeKey} committed. Waits while that commit is
     * still in progress on this broker. False is final: a commit with that key that arrives later is
     * refused, so the client may tell its application the transaction rolled back.
     */
    boolean transactionCommitted(String outcomeKey) throws JMSException;

    /**
     * Prepares a transaction for two-phase commit under a global ID: its sends and acknowledgements are
     * stored as prepared (surviving a restart) and held until {@link #commitPrepared} or
     * {@link #rollbackPrepared}. Returns false when it had nothing to do (read-only; nothing is kept).
     */
    boolean prepare(long transactionId, io.tern.store.GlobalTransactionId xid, long[] acknowledged)
            throws JMSException;

    /** Commits a prepared transaction; {@code JMSException} when the broker knows no such transaction. */
    void commitPrepared(io.tern.store.GlobalTransactionId xid) throws JMSException;

    /** Rolls back a prepared transaction; {@code JMSException} when the broker knows no such transaction. */
    void rollbackPrepared(io.tern.store.GlobalTransactionId xid) throws JMSException;

    /** The prepared transactions the broker holds (also those recovered after a restart). */
    java.util.List<io.tern.store.GlobalTransactionId> recoverPrepared() throws JMSException;

    /** Rolls back a transaction: its sends are dropped and {@code seen} deliveries are redelivered. */
    void rollback(long transactionId, long[] seen) throws JMSException;

    /** The messages waiting on a queue that a selector (null for all) accepts, without consuming them. */
    java.util.List<MessageSnapshot> browse(Address queue, String selector) throws JMSException;

    /** Creates a temporary destination owned by this connection. */
    void createTemporaryDestination(Address address) throws JMSException;

    /** Deletes a temporary destination of this connection; refused while it has consumers. */
    void deleteTemporaryDestination(Address address) throws JMSException;

    /** Removes a durable subscription of this connection's client ID; refused while it has consumers. */
    void unsubscribe(String subscriptionName) throws JMSException;

    /** Closes the connection; everything unacknowledged goes back to its destinations. Idempotent. */
    void close();
}
