package io.tern.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import io.tern.transport.DeliveryListener;
import io.tern.transport.TransportUri;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * A connection to a broker over {@code tcp://host:port}: each {@link BrokerConnection} call becomes a command
 * frame with a correlation ID. Synchronous calls wait for the broker's reply and throw the JMS exception it
 * names; a send returns at once with a future that its receipt completes; credit and releases are one-way.
 * Deliveries arrive on the connection's event loop and go straight to the {@link DeliveryListener}.
 *
 * <p><b>Threads.</b> Any number of application threads may call at once. A caller waits only for its own
 * reply, and before writing it waits while the connection's outgoing buffers are full, so a broker that
 * stops reading holds producers back; a send also waits while the {@link SendWindow} is full of sends
 * waiting for their receipts. Calls that wait must not come from the event loop (that is, from the
 * delivery listener): they throw {@code IllegalStateException} instead of deadlocking.
 */
public final class TcpBrokerConnection implements BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TcpBrokerConnection.class);
    private static final String CLIENT_NAME = "tern-java";
    /** Bytes of a SEND frame besides the message: type byte, correlation and transaction IDs. */
    private static final int SEND_OVERHEAD = 1 + 8 + 8;
    /** How long close waits for the broker to confirm it has let go of the connection. */
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private final String address;
    private final Channel channel;
    private final OutboundFrames out;
    private final ClientChannelHandler handler;
    private final PendingCalls calls;
    private final String brokerName;
    private final int brokerMaxFrameSize;
    private final int brokerMinorVersion;
    private final int brokerInactivityTimeoutMillis;
    private final SendWindow sendWindow;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpBrokerConnection(String address, Channel channel, ClientChannelHandler handler, PendingCalls calls,
                                Frame.Hello brokerHello, int sendWindowSize) {
        this.address = address;
        this.channel = channel;
        this.out = handler.out();
        this.handler = handler;
        this.calls = calls;
        this.brokerName = brokerHello.peerName();
        this.brokerMaxFrameSize = brokerHello.maxFrameSize();
        this.brokerMinorVersion = brokerHello.minorVersion();
        this.brokerInactivityTimeoutMillis = brokerHello.inactivityTimeoutMillis();
        this.sendWindow = new SendWindow(sendWindowSize);
    }

    /**
     * Connects and shakes hands. Client options of the connection factory ({@code jms.*}) must have been
     * removed from the URI already.
     *
     * @throws JMSException when the URI is wrong, the broker cannot be reached or refuses the connection
     *     (another major protocol version, not running), naming the address and the reason
     */
    public static TcpBrokerConnection connect(TransportUri uri, DeliveryListener listener) throws JMSException {
        TcpSettings settings;
        try {
            settings = TcpSettings.forClient(uri);
        } catch (IllegalArgumentException e) {
            throw new JMSException("broker URL " + e.getMessage());
        }
        String address = settings.address();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.connectTimeoutMillis());
        SocketTransport transport = SocketTransport.choose(settings.epoll());
        PendingCalls calls = new PendingCalls();
        FrameDecoder decoder = new FrameDecoder(settings.maxFrameSize());
        ClientChannelHandler handler = new ClientChannelHandler(address, settings.inactivityTimeoutMillis(), calls,
                listener);
        Bootstrap bootstrap = new Bootstrap()
                .group(ClientEventLoops.group(transport))
                .channel(transport.channelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, settings.tcpNoDelay())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpTransportServer.WATER_MARK)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", decoder);
                        ch.pipeline().addLast(TcpTransportServer.HANDLER_NAME, handler);
                    }
                });
        if (settings.sendBufferSize() > 0) {
            bootstrap.option(ChannelOption.SO_SNDBUF, settings.sendBufferSize());
        }
        if (settings.receiveBufferSize() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, settings.receiveBufferSize());
        }
        ChannelFuture connected = bootstrap.connect(settings.host(), settings.port()).awaitUninterruptibly();
        if (!connected.isSuccess()) {
            JMSException e = new JMSException("cannot connect to the broker at " + address + ": "
                    + connected.cause().getMessage());
            e.setLinkedException(connected.cause() instanceof Exception x ? x : new Exception(connected.cause()));
            e.initCause(connected.cause());
            throw e;
        }
        Channel channel = connected.channel();
        handler.out().write(new Frame.Hello(FrameCodec.MAJOR_VERSION, FrameCodec.MINOR_VERSION,
                settings.inactivityTimeoutMillis(), settings.maxFrameSize(), CLIENT_NAME, null));
        Frame.Hello brokerHello;
        try {
            brokerHello = awaitHello(handler, address, deadline, settings.connectTimeoutMillis());
            if (brokerHello.majorVersion() != FrameCodec.MAJOR_VERSION) {
                String reason = "the broker at " + address + " speaks protocol version " + brokerHello.majorVersion()
                        + "." + brokerHello.minorVersion() + "; this client speaks " + FrameCodec.MAJOR_VERSION + ".x";
                handler.out().write(new Frame.Error(0, "JMSException", null, reason));
                throw new JMSException(reason);
            }
            if (brokerHello.maxFrameSize() < 1 || brokerHello.inactivityTimeoutMillis() < 0) {
                String reason = "the broker at " + address + " sent an invalid HELLO (max frame size "
                        + brokerHello.maxFrameSize() + ", inactivity timeout " + brokerHello.inactivityTimeoutMillis() + ")";
                handler.out().write(new Frame.Error(0, "JMSException", null, reason));
                throw new JMSException(reason);
            }
        } catch (JMSException e) {
            handler.closingByClient();
            handler.out().closeWhenWritten();
            throw e;
        }
        int writeInterval = brokerHello.inactivityTimeoutMillis() / 3;
        channel.eventLoop().execute(() -> {
            decoder.handshakeDone();
            if (settings.inactivityTimeoutMillis() > 0 || writeInterval > 0) {
                channel.pipeline().addBefore(TcpTransportServer.HANDLER_NAME, "idle", new IdleStateHandler(
                        settings.inactivityTimeoutMillis(), writeInterval, 0, TimeUnit.MILLISECONDS));
            }
        });
        LOG.debug("Connected to broker {} at {} ({})", brokerHello.peerName(), address, brokerHello.connectionId());
        return new TcpBrokerConnection(address, channel, handler, calls, brokerHello, settings.sendWindowSize());
    }

    private static Frame.Hello awaitHello(ClientChannelHandler handler, String address, long deadline, int timeout)
            throws JMSException {
        try {
            return handler.hello().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new JMSException("the broker at " + address + " did not complete the handshake within " + timeout
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while connecting to the broker at " + address);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** The remote address, {@code tcp://host:port}. */
    public String address() {
        return address;
    }

    /**
     * How long the broker waits for a silent client before it declares it dead and releases what it held
     * (its client ID, its consumers); 0 when the broker does not detect dead clients.
     */
    public int brokerInactivityTimeoutMillis() {
        return brokerInactivityTimeoutMillis;
    }

    /** Whether the connection is still up: not closed by the application, nor ended by the broker or network. */
    public boolean isOpen() {
        return isUsable();
    }

    @Override
    public String brokerName() {
        return brokerName;
    }

    @Override
    public void setClientId(String clientId) throws JMSException {
        call(id -> new Frame.SetClientId(id, clientId));
    }

    @Override
    public CompletableFuture<Void> send(long transactionId, MessageSnapshot message) {
        try {
            byte[] encoded;
            try {
                encoded = MessageCodec.encode(message);
            } catch (IllegalArgumentException e) {
                throw new MessageFormatException(e.getMessage());
            }
            if ((long) encoded.length + SEND_OVERHEAD > brokerMaxFrameSize) {
                throw new JMSException("the message is " + encoded.length + " bytes encoded, more than the broker at "
                        + address + " accepts in one frame (maxFrameSize " + brokerMaxFrameSize + ")");
            }
            boolean mayWait = !channel.eventLoop().inEventLoop();
            int bytes = encoded.length;
            sendWindow.take(bytes, mayWait);
            PendingCalls.Call call;
            try {
                if (mayWait) {
                    out.awaitRoom();
                }
                call = calls.open();
            } catch (JMSException e) {
                sendWindow.give(bytes);
                throw e;
            }
            out.write(new Frame.Send(call.id(), transactionId, encoded));
            return call.reply().whenComplete((r, e) -> sendWindow.give(bytes)).thenApply(r -> null);
        } catch (JMSException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void checkDestination(Address address) throws JMSException {
        call(id -> new Frame.CheckDestination(id, address));
    }

    @Override
    public void addConsumer(ConsumerSpec spec) throws JMSException {
        call(id -> new Frame.AddConsumer(id, spec.consumerId(), spec.address(), spec.selector(), spec.noLocal(),
                spec.subscriptionName(), spec.durable(), spec.shared(), spec.prefetch(), spec.exclusive()));
    }

    /** One-way: credit needs no reply, and the JMS client may give it from the delivery listener. */
    @Override
    public void addCredit(long consumerId, int messages) {
        if (isUsable()) {
            out.write(new Frame.AddCredit(consumerId, messages));
        }
    }

    @Override
    public void removeConsumer(long consumerId) throws JMSException {
        call(id -> new Frame.RemoveConsumer(id, consumerId));
    }

    @Override
    public void acknowledge(long[] deliveryIds) throws JMSException {
        call(id -> new Frame.Acknowledge(id, deliveryIds));
    }

    /**
     * Returns when the deliveries are back in their queues, as over vm://. From the delivery listener (the
     * JMS client releases deliveries for consumers it no longer has), on the event loop where waiting would
     * deadlock, it goes one-way instead; the broker still handles it before any command sent after it. On a
     * closed connection it does nothing: the broker released everything at the close.
     */
    @Override
    public void release(long[] deliveryIds, boolean seen) throws JMSException {
        if (!isUsable()) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            out.write(new Frame.Release(0, deliveryIds, seen));
            return;
        }
        call(id -> new Frame.Release(id, deliveryIds, seen));
    }

    @Override
    public void commit(long transactionId, long[] acknowledged) throws JMSException {
        call(id -> new Frame.Commit(id, transactionId, acknowledged));
    }

    @Override
    public void commit(long transactionId, long[] acknowledged, String outcomeKey) throws JMSException {
        requireOutcomes();
        call(id -> new Frame.CommitRecorded(id, transactionId, outcomeKey, acknowledged));
    }

    @Override
    public boolean transactionCommitted(String outcomeKey) throws JMSException {
        requireOutcomes();
        return (Boolean) call(id -> new Frame.TxOutcome(id, outcomeKey));
    }

    /** Whether the broker speaks protocol 1.1 or later, with COMMIT_RECORDED and TX_OUTCOME. */
    public boolean recordsOutcomes() {
        return brokerMinorVersion >= FrameCodec.OUTCOME_MINOR_VERSION;
    }

    /** A 1.0 broker would take the outcome commands for a protocol violation; refuse them here instead. */
    private void requireOutcomes() throws JMSException {
        if (brokerMinorVersion < FrameCodec.OUTCOME_MINOR_VERSION) {
            throw new JMSException("the broker at " + address + " speaks protocol version " + FrameCodec.MAJOR_VERSION
                    + "." + brokerMinorVersion + ", which cannot record transaction outcomes (1."
                    + FrameCodec.OUTCOME_MINOR_VERSION + " can); upgrade the broker to use failover with transactions");
        }
    }

    @Override
    public void rollback(long transactionId, long[] seen) throws JMSException {
        call(id -> new Frame.Rollback(id, transactionId, seen));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<MessageSnapshot> browse(Address queue, String selector) throws JMSException {
        return (List<MessageSnapshot>) call(id -> new Frame.Browse(id, queue, selector));
    }

    @Override
    public boolean prepare(long transactionId, GlobalTransactionId xid, long[] acknowledged) throws JMSException {
        return (Boolean) call(id -> new Frame.Prepare(id, transactionId, xid, acknowledged));
    }

    @Override
    public void commitPrepared(GlobalTransactionId xid) throws JMSException {
        call(id -> new Frame.CommitPrepared(id, xid));
    }

    @Override
    public void rollbackPrepared(GlobalTransactionId xid) throws JMSException {
        call(id -> new Frame.RollbackPrepared(id, xid));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<GlobalTransactionId> recoverPrepared() throws JMSException {
        return (List<GlobalTransactionId>) call(id -> new Frame.RecoverPrepared(id));
    }

    @Override
    public void createTemporaryDestination(Address address) throws JMSException {
        call(id -> new Frame.CreateTemporary(id, address));
    }

    @Override
    public void deleteTemporaryDestination(Address address) throws JMSException {
        call(id -> new Frame.DeleteTemporary(id, address));
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        call(id -> new Frame.Unsubscribe(id, subscriptionName));
    }

    /**
     * Tells the broker to close (so it gives back what this connection had not acknowledged before this
     * returns), then closes the socket. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handler.closingByClient();
        boolean onEventLoop = channel.eventLoop().inEventLoop();
        try {
            PendingCalls.Call call = calls.open();
            out.write(new Frame.Close(call.id()));
            if (!onEventLoop) {
                call.reply().get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (JMSException | ExecutionException e) {
            LOG.debug("Closing the connection to {}: {}", address, e.getMessage());
        } catch (TimeoutException e) {
            LOG.warn("The broker at {} did not confirm the close within {} ms; closing anyway", address,
                    CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.closeWhenWritten();
        if (!onEventLoop) {
            channel.closeFuture().awaitUninterruptibly(OutboundFrames.CLOSE_GRACE_MILLIS + 1000);
        }
    }

    private boolean isUsable() {
        return !closed.get() && channel.isActive();
    }

    /** Sends a command and waits for its reply; returns what the reply carries (see {@link PendingCalls.Call}). */
    private Object call(LongFunction<Frame.Command> command) throws JMSException {
        if (closed.get()) {
            throw new IllegalStateException("the connection to the broker at " + address + " is closed");
        }
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a call that waits for the broker was made on the connection's I/O"
                    + " thread (from a delivery listener); it would deadlock");
        }
        out.awaitRoom();
        PendingCalls.Call call = calls.open();
        out.write(command.apply(call.id()));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call.reply().get();
                } catch (InterruptedException e) {
                    // The broker acts on the command whatever we do; leaving now would hide its outcome.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The failure of a reply, with the caller's stack rather than the event loop's. */
    private static JMSException rethrown(Throwable failure) {
        if (failure instanceof JMSException j) {
            j.fillInStackTrace();
            return j;
        }
        JMSException e = new JMSException(String.valueOf(failure.getMessage()));
        e.initCause(failure);
        return e;
    }

    @Override
    public String toString() {
        return "TcpBrokerConnection[" + address + ", broker " + brokerName + "]";
    }
}
