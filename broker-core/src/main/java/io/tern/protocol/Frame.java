package io.tern.protocol;

import io.tern.store.GlobalTransactionId;

import java.util.List;
import java.util.Objects;

/**
 * A frame of the tcp wire protocol, decoded. {@link FrameCodec} turns frames into bytes and back;
 * {@code docs/protocol.md} gives each one's layout and meaning. Frames are immutable values, except that
 * the arrays inside them are shared, not copied: nobody writes to them after construction.
 */
public sealed interface Frame {

    FrameType type();

    /** Opens a connection, from each side: the protocol version and what the sender expects of its peer. */
    record Hello(int majorVersion, int minorVersion, int inactivityTimeoutMillis, int maxFrameSize,
                 String peerName, String connectionId) implements Frame {
        public FrameType type() {
            return FrameType.HELLO;
        }
    }

    /** Sent by a side that has written nothing for a while, so its peer knows it is alive. */
    record Heartbeat() implements Frame {
        public static final Heartbeat INSTANCE = new Heartbeat();

        public FrameType type() {
            return FrameType.HEARTBEAT;
        }
    }

    /**
     * A command failed ({@code correlationId} names it), or, with correlation ID 0, the connection is being
     * refused or closed. {@code exceptionType} is the simple name of a {@code jakarta.jms} exception class.
     */
    record Error(long correlationId, String exceptionType, String errorCode, String message) implements Frame {
        public Error {
            Objects.requireNonNull(exceptionType, "exceptionType");
        }

        public FrameType type() {
            return FrameType.ERROR;
        }
    }

    /** A command succeeded; for a send, this is its receipt. */
    record Ok(long correlationId) implements Frame {
        public FrameType type() {
            return FrameType.OK;
        }
    }

    /** A message for a consumer: the {@link MessageCodec} encoding and the facts of this delivery. */
    record Deliver(long consumerId, long deliveryId, int deliveryCount, byte[] message) implements Frame {
        public Deliver {
            Objects.requireNonNull(message, "message");
        }

        public FrameType type() {
            return FrameType.DELIVERY;
        }
    }

    /** Some of the messages a browse found, each in its {@link MessageCodec} encoding; an Ok ends the browse. */
    record BrowseChunk(long correlationId, List<byte[]> messages) implements Frame {
        public BrowseChunk {
            messages = List.copyOf(messages);
        }

        public FrameType type() {
            return FrameType.BROWSE_CHUNK;
        }
    }

    /** The reply to a Prepare: whether the transaction was prepared (false: it had nothing to do). */
    record Prepared(long correlationId, boolean prepared) implements Frame {
        public FrameType type() {
            return FrameType.PREPARED;
        }
    }

    /** The reply to a RecoverPrepared: the prepared transactions the broker holds. */
    record PreparedList(long correlationId, List<GlobalTransactionId> transactions) implements Frame {
        public PreparedList {
            transactions = List.copyOf(transactions);
        }

        public FrameType type() {
            return FrameType.PREPARED_LIST;
        }
    }

    /** The reply to a TxOutcome: whether the transaction committed under that outcome key committed. */
    record Outcome(long correlationId, boolean committed) implements Frame {
        public FrameType type() {
            return FrameType.OUTCOME;
        }
    }

    /**
     * What a client asks of a broker. Every command but {@link AddCredit} and a {@link Release} with
     * correlation ID 0 (which get no reply) gets exactly one reply naming its correlation ID: Error, or else Ok (a browse first sends its
     * chunks), Prepared for a {@link Prepare}, PreparedList for a {@link RecoverPrepared}, Outcome for a
     * {@link TxOutcome}.
     */
    sealed interface Command extends Frame {

        long correlationId();

        <R> R accept(Handler<R> handler);

        /** One method per command, so whoever executes commands handles every kind. */
        interface Handler<R> {
            R setClientId(SetClientId c);

            R send(Send c);

            R checkDestination(CheckDestination c);

            R addConsumer(AddConsumer c);

            R addCredit(AddCredit c);

            R removeConsumer(RemoveConsumer c);

            R acknowledge(Acknowledge c);

            R release(Release c);

            R commit(Commit c);

            R commitRecorded(CommitRecorded c);

            R txOutcome(TxOutcome c);

            R rollback(Rollback c);

            R browse(Browse c);

            R createTemporary(CreateTemporary c);

            R deleteTemporary(DeleteTemporary c);

            R unsubscribe(Unsubscribe c);

            R close(Close c);

            R prepare(Prepare c);

            R commitPrepared(CommitPrepared c);

            R rollbackPrepared(RollbackPrepared c);

            R recoverPrepared(RecoverPrepared c);
        }
    }

    record SetClientId(long correlationId, String clientId) implements Command {
        public FrameType type() {
            return FrameType.SET_CLIENT_ID;
        }

        public <R> R accept(Handler<R> h) {
            return h.setClientId(this);
        }
    }

    /** A message to send, in its {@link MessageCodec} encoding; {@code transactionId} 0 outside a transaction. */
    record Send(long correlationId, long transactionId, byte[] message) implements Command {
        public Send {
            Objects.requireNonNull(message, "message");
        }

        public FrameType type() {
            return FrameType.SEND;
        }

        public <R> R accept(Handler<R> h) {
            return h.send(this);
        }
    }

    record CheckDestination(long correlationId, Address address) implements Command {
        public FrameType type() {
            return FrameType.CHECK_DESTINATION;
        }

        public <R> R accept(Handler<R> h) {
            return h.checkDestination(this);
        }
    }

    record AddConsumer(long correlationId, long consumerId, Address address, String selector, boolean noLocal,
                       String subscriptionName, boolean durable, boolean shared, int prefetch, boolean exclusive)
            implements Command {
        public FrameType type() {
            return FrameType.ADD_CONSUMER;
        }

        public <R> R accept(Handler<R> h) {
            return h.addConsumer(this);
        }
    }

    /** One-way: no reply. */
    record AddCredit(long consumerId, int messages) implements Command {
        public long correlationId() {
            return 0;
        }

        public FrameType type() {
            return FrameType.ADD_CREDIT;
        }

        public <R> R accept(Handler<R> h) {
            return h.addCredit(this);
        }
    }

    record RemoveConsumer(long correlationId, long consumerId) implements Command {
        public FrameType type() {
            return FrameType.REMOVE_CONSUMER;
        }

        public <R> R accept(Handler<R> h) {
            return h.removeConsumer(this);
        }
    }

    record Acknowledge(long correlationId, long[] deliveryIds) implements Command {
        public FrameType type() {
            return FrameType.ACKNOWLEDGE;
        }

        public <R> R accept(Handler<R> h) {
            return h.acknowledge(this);
        }
    }

    /**
     * Gives deliveries back. With correlation ID 0 it gets no reply (a client's delivery handler releases
     * without waiting); otherwise an Ok once the deliveries are back in their queues.
     */
    record Release(long correlationId, long[] deliveryIds, boolean seen) implements Command {
        public FrameType type() {
            return FrameType.RELEASE;
        }

        public <R> R accept(Handler<R> h) {
            return h.release(this);
        }
    }

    record Commit(long correlationId, long transactionId, long[] acknowledged) implements Command {
        public FrameType type() {
            return FrameType.COMMIT;
        }

        public <R> R accept(Handler<R> h) {
            return h.commit(this);
        }
    }

    /**
     * Commits like {@link Commit} and records the outcome under a key the client chose, so that a client that
     * lost the reply can ask with {@link TxOutcome} on its next connection (protocol 1.1).
     */
    record CommitRecorded(long correlationId, long transactionId, String outcomeKey, long[] acknowledged)
            implements Command {
        public CommitRecorded {
            Objects.requireNonNull(outcomeKey, "outcomeKey");
        }

        public FrameType type() {
            return FrameType.COMMIT_RECORDED;
        }

        public <R> R accept(Handler<R> h) {
            return h.commitRecorded(this);
        }
    }

    /** Asks whether the transaction committed under an outcome key committed; the reply is Outcome (1.1). */
    record TxOutcome(long correlationId, String outcomeKey) implements Command {
        public TxOutcome {
            Objects.requireNonNull(outcomeKey, "outcomeKey");
        }

        public FrameType type() {
            return FrameType.TX_OUTCOME;
        }

        public <R> R accept(Handler<R> h) {
            return h.txOutcome(this);
        }
    }

    record Rollback(long correlationId, long transactionId, long[] seen) implements Command {
        public FrameType type() {
            return FrameType.ROLLBACK;
        }

        public <R> R accept(Handler<R> h) {
            return h.rollback(this);
        }
    }

    record Browse(long correlationId, Address queue, String selector) implements Command {
        public FrameType type() {
            return FrameType.BROWSE;
        }

        public <R> R accept(Handler<R> h) {
            return h.browse(this);
        }
    }

    record CreateTemporary(long correlationId, Address address) implements Command {
        public FrameType type() {
            return FrameType.CREATE_TEMPORARY;
        }

        public <R> R accept(Handler<R> h) {
            return h.createTemporary(this);
        }
    }

    record DeleteTemporary(long correlationId, Address address) implements Command {
        public FrameType type() {
            return FrameType.DELETE_TEMPORARY;
        }

        public <R> R accept(Handler<R> h) {
            return h.deleteTemporary(this);
        }
    }

    record Unsubscribe(long correlationId, String subscriptionName) implements Command {
        public FrameType type() {
            return FrameType.UNSUBSCRIBE;
        }

        public <R> R accept(Handler<R> h) {
            return h.unsubscribe(this);
        }
    }

    /** Prepares a local transaction for two-phase commit under a global ID; the reply is Prepared. */
    record Prepare(long correlationId, long transactionId, GlobalTransactionId xid, long[] acknowledged)
            implements Command {
        public Prepare {
            Objects.requireNonNull(xid, "xid");
        }

        public FrameType type() {
            return FrameType.PREPARE;
        }

        public <R> R accept(Handler<R> h) {
            return h.prepare(this);
        }
    }

    record CommitPrepared(long correlationId, GlobalTransactionId xid) implements Command {
        public CommitPrepared {
            Objects.requireNonNull(xid, "xid");
        }

        public FrameType type() {
            return FrameType.COMMIT_PREPARED;
        }

        public <R> R accept(Handler<R> h) {
            return h.commitPrepared(this);
        }
    }

    record RollbackPrepared(long correlationId, GlobalTransactionId xid) implements Command {
        public RollbackPrepared {
            Objects.requireNonNull(xid, "xid");
        }

        public FrameType type() {
            return FrameType.ROLLBACK_PREPARED;
        }

        public <R> R accept(Handler<R> h) {
            return h.rollbackPrepared(this);
        }
    }

    /** Asks for the prepared transactions the broker holds; the reply is PreparedList. */
    record RecoverPrepared(long correlationId) implements Command {
        public FrameType type() {
            return FrameType.RECOVER_PREPARED;
        }

        public <R> R accept(Handler<R> h) {
            return h.recoverPrepared(this);
        }
    }

    /** Ends the connection: the broker closes it (its unacknowledged deliveries go back), replies, then hangs up. */
    record Close(long correlationId) implements Command {
        public FrameType type() {
            return FrameType.CLOSE;
        }

        public <R> R accept(Handler<R> h) {
            return h.close(this);
        }
    }
}
