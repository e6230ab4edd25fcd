package io.tern.transport.tcp;

import io.tern.protocol.Frame;
import io.tern.protocol.MalformedMessageException;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.protocol.Address;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Carries out one remote client's commands on its {@link BrokerConnection} and writes each reply. A command
 * that may block (an acknowledgement or commit waits for the store) blocks only the connection's command
 * thread, never an event loop; a send does not block at all: its receipt is written when the broker's future
 * completes, which for a persistent message is after the store has it.
 *
 * <p><b>Threads.</b> Runs on the connection's {@link SerialExecutor}, one command at a time in the order they
 * arrived, so it needs no locks; the returned stages complete on whatever thread finishes the work.
 */
final class CommandDispatcher implements Frame.Command.Handler<CompletionStage<Void>> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /**
     * Bytes of sends a client may have waiting for their receipts (more than one send): far above what the
     * client's send window lets it have, so only a client that ignores receipts reaches it.
     */
    static final long MAX_UNRECEIPTED_SEND_BYTES = 64L << 20;
    /** Browse results go out in chunks of about this size, so no frame comes near the limit. */
    private static final int BROWSE_CHUNK_BYTES = 256 * 1024;

    @FunctionalInterface
    private interface BrokerCall {
        void run() throws JMSException;
    }

    private final OutboundFrames out;
    private final CreditLedger credit;
    private final int maxFrameSize;
    private final Consumer<String> protocolViolation;
    private final AtomicInteger unreceiptedSends = new AtomicInteger();
    private final AtomicLong unreceiptedSendBytes = new AtomicLong();
    private BrokerConnection connection;
    private boolean closed;

    /**
     * @param protocolViolation told (on the command thread) when a command breaks the protocol; it closes the
     *     channel
     */
    CommandDispatcher(OutboundFrames out, CreditLedger credit, int maxFrameSize, Consumer<String> protocolViolation) {
        this.out = out;
        this.credit = credit;
        this.maxFrameSize = maxFrameSize;
        this.protocolViolation = protocolViolation;
    }

    /** The handshake made the broker connection; commands may run from now on. */
    void connected(BrokerConnection brokerConnection) {
        this.connection = brokerConnection;
    }

    /** Runs a command; the stage completes when its reply is written. Commands after a close do nothing. */
    CompletionStage<Void> execute(Frame.Command command) {
        if (connection == null || closed) {
            return DONE;
        }
        try {
            return command.accept(this);
        } catch (RuntimeException e) {
            LOG.warn("Command {} from {} failed unexpectedly", command.type(), out.channel().remoteAddress(), e);
            reply(command.correlationId(), e);
            return DONE;
        }
    }

    /** The channel is gone: the broker connection closes, so its unacknowledged deliveries go back. */
    void transportClosed() {
        closed = true;
        if (connection != null) {
            connection.close();
        }
    }

    /** Nothing more of this connection runs; the handler closes the channel with the reason. */
    private void violation(String reason) {
        closed = true;
        protocolViolation.accept(reason);
    }

    private CompletionStage<Void> replyTo(long correlationId, BrokerCall call) {
        try {
            call.run();
            out.write(new Frame.Ok(correlationId));
        } catch (JMSException | RuntimeException e) {
            if (!(e instanceof JMSException)) {
                LOG.warn("A command from {} failed unexpectedly", out.channel().remoteAddress(), e);
            }
            reply(correlationId, e);
        }
        return DONE;
    }

    private void reply(long correlationId, Throwable failure) {
        out.write(failure == null ? new Frame.Ok(correlationId) : JmsErrors.toFrame(correlationId, failure));
    }

    /**
     * A client of the wire may name destinations no JMS client would (the JMS API checks names before they
     * leave the application); they are refused here as the spec's exception, before they reach the broker.
     */
    private static void checkName(Address address) throws InvalidDestinationException {
        if (address == null) {
            return;
        }
        String reason = Address.invalidNameReason(address.name());
        if (reason != null) {
            throw new InvalidDestinationException(reason);
        }
    }

    @Override
    public CompletionStage<Void> setClientId(Frame.SetClientId c) {
        return replyTo(c.correlationId(), () -> connection.setClientId(c.clientId()));
    }

    @Override
    public CompletionStage<Void> send(Frame.Send c) {
        MessageSnapshot message;
        try {
            message = MessageCodec.decode(c.message());
        } catch (MalformedMessageException e) {
            violation("SEND carries an undecodable message: " + e.getMessage());
            return DONE;
        }
        try {
            checkName(message.destination());
            checkName(message.replyTo());
        } catch (InvalidDestinationException e) {
            reply(c.correlationId(), e);
            return DONE;
        }
        int bytes = c.message().length;
        int sends = unreceiptedSends.incrementAndGet();
        long pending = unreceiptedSendBytes.addAndGet(bytes);
        if (sends > 1 && pending > MAX_UNRECEIPTED_SEND_BYTES) {
            violation("more than " + MAX_UNRECEIPTED_SEND_BYTES + " bytes of sends wait for their receipts;"
                    + " a client must hold back sends until receipts come (its send window)");
            return DONE;
        }
        return connection.send(c.transactionId(), message).handle((ok, failure) -> {
            unreceiptedSends.decrementAndGet();
            unreceiptedSendBytes.addAndGet(-bytes);
            reply(c.correlationId(), failure);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> checkDestination(Frame.CheckDestination c) {
        return replyTo(c.correlationId(), () -> {
            checkName(c.address());
            connection.checkDestination(c.address());
        });
    }

    @Override
    public CompletionStage<Void> addConsumer(Frame.AddConsumer c) {
        return replyTo(c.correlationId(), () -> {
            if (c.prefetch() < 1) {
                throw new JMSException("prefetch must be at least 1, was " + c.prefetch());
            }
            checkName(c.address());
            if ((c.durable() || c.shared()) && (c.subscriptionName() == null || c.subscriptionName().isEmpty())) {
                throw new JMSException("subscription name must not be null or empty");
            }
            ConsumerSpec spec = new ConsumerSpec(c.consumerId(), c.address(), c.selector(), c.noLocal(),
                    c.subscriptionName(), c.durable(), c.shared(), c.prefetch(), c.exclusive());
            if (credit.isOpen(c.consumerId())) {
                throw new jakarta.jms.IllegalStateException("consumer " + c.consumerId() + " exists already");
            }
            credit.open(c.consumerId(), c.prefetch());
            try {
                connection.addConsumer(spec);
            } catch (JMSException | RuntimeException e) {
                credit.close(c.consumerId());
                throw e;
            }
        });
    }

    @Override
    public CompletionStage<Void> addCredit(Frame.AddCredit c) {
        if (!credit.grant(c.consumerId(), c.messages())) {
            violation("ADD_CREDIT of " + c.messages() + " for consumer " + c.consumerId()
                    + " would give it more than its prefetch (or is not positive)");
            return DONE;
        }
        connection.addCredit(c.consumerId(), c.messages());
        return DONE;
    }

    @Override
    public CompletionStage<Void> removeConsumer(Frame.RemoveConsumer c) {
        return replyTo(c.correlationId(), () -> {
            connection.removeConsumer(c.consumerId());
            credit.close(c.consumerId());
        });
    }

    @Override
    public CompletionStage<Void> acknowledge(Frame.Acknowledge c) {
        return replyTo(c.correlationId(), () -> connection.acknowledge(c.deliveryIds()));
    }

    @Override
    public CompletionStage<Void> release(Frame.Release c) {
        if (c.correlationId() != 0) {
            return replyTo(c.correlationId(), () -> connection.release(c.deliveryIds(), c.seen()));
        }
        try {
            connection.release(c.deliveryIds(), c.seen());
        } catch (JMSException e) {
            // Nobody waits for this one; the deliveries go back when the connection closes at the latest.
            LOG.debug("Release from {} failed: {}", out.channel().remoteAddress(), e.getMessage());
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> commit(Frame.Commit c) {
        return replyTo(c.correlationId(), () -> connection.commit(c.transactionId(), c.acknowledged()));
    }

    @Override
    public CompletionStage<Void> commitRecorded(Frame.CommitRecorded c) {
        return replyTo(c.correlationId(),
                () -> connection.commit(c.transactionId(), c.acknowledged(), c.outcomeKey()));
    }

    /** May wait while that commit is still in progress on the broker: only this connection's commands wait. */
    @Override
    public CompletionStage<Void> txOutcome(Frame.TxOutcome c) {
        try {
            out.write(new Frame.Outcome(c.correlationId(), connection.transactionCommitted(c.outcomeKey())));
        } catch (JMSException | RuntimeException e) {
            reply(c.correlationId(), e);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> rollback(Frame.Rollback c) {
        return replyTo(c.correlationId(), () -> connection.rollback(c.transactionId(), c.seen()));
    }

    @Override
    public CompletionStage<Void> browse(Frame.Browse c) {
        List<MessageSnapshot> found;
        try {
            checkName(c.queue());
            found = connection.browse(c.queue(), c.selector());
        } catch (JMSException | RuntimeException e) {
            reply(c.correlationId(), e);
            return DONE;
        }
        int chunkLimit = Math.min(BROWSE_CHUNK_BYTES, maxFrameSize / 2);
        List<byte[]> chunk = new ArrayList<>();
        int chunkBytes = 0;
        for (MessageSnapshot m : found) {
            byte[] encoded = MessageCodec.encode(m);
            if (!chunk.isEmpty() && chunkBytes + encoded.length > chunkLimit) {
                writeChunk(c.correlationId(), chunk);
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(encoded);
            chunkBytes += encoded.length + 4;
        }
        if (!chunk.isEmpty()) {
            writeChunk(c.correlationId(), chunk);
        }
        reply(c.correlationId(), null);
        return DONE;
    }

    /** Waits for room first: a large browse must not pile up in memory ahead of a slow reader. */
    private void writeChunk(long correlationId, List<byte[]> messages) {
        out.awaitRoom();
        out.write(new Frame.BrowseChunk(correlationId, messages));
    }

    @Override
    public CompletionStage<Void> createTemporary(Frame.CreateTemporary c) {
        return replyTo(c.correlationId(), () -> {
            checkName(c.address());
            connection.createTemporaryDestination(c.address());
        });
    }

    @Override
    public CompletionStage<Void> deleteTemporary(Frame.DeleteTemporary c) {
        return replyTo(c.correlationId(), () -> connection.deleteTemporaryDestination(c.address()));
    }

    @Override
    public CompletionStage<Void> unsubscribe(Frame.Unsubscribe c) {
        return replyTo(c.correlationId(), () -> connection.unsubscribe(c.subscriptionName()));
    }

    @Override
    public CompletionStage<Void> prepare(Frame.Prepare c) {
        try {
            boolean prepared = connection.prepare(c.transactionId(), c.xid(), c.acknowledged());
            out.write(new Frame.Prepared(c.correlationId(), prepared));
        } catch (JMSException | RuntimeException e) {
            reply(c.correlationId(), e);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> commitPrepared(Frame.CommitPrepared c) {
        return replyTo(c.correlationId(), () -> connection.commitPrepared(c.xid()));
    }

    @Override
    public CompletionStage<Void> rollbackPrepared(Frame.RollbackPrepared c) {
        return replyTo(c.correlationId(), () -> connection.rollbackPrepared(c.xid()));
    }

    @Override
    public CompletionStage<Void> recoverPrepared(Frame.RecoverPrepared c) {
        try {
            out.write(new Frame.PreparedList(c.correlationId(), connection.recoverPrepared()));
        } catch (JMSException | RuntimeException e) {
            reply(c.correlationId(), e);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> close(Frame.Close c) {
        closed = true;
        connection.close();
        out.write(new Frame.Ok(c.correlationId()));
        out.closeWhenWritten();
        return DONE;
    }
}
