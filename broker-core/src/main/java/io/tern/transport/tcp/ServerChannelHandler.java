package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.tern.broker.Broker;
import io.tern.broker.ServerConnection;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.MalformedFrameException;
import io.tern.transport.BrokerConnection;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The broker's end of one client's tcp connection. It checks the client's Hello, makes the broker connection,
 * hands every command to the connection's command thread in arrival order, sends heartbeats when idle, closes
 * a client that has been silent for the inactivity period, and closes the connection, and only it, on a
 * protocol violation, with an Error frame saying why.
 *
 * <p><b>Threads.</b> Every field is owned by the channel's event loop, which never blocks: the broker is only
 * called from the connection's {@link SerialExecutor} (through {@link CommandDispatcher}), and replies and
 * deliveries reach the channel through {@link OutboundFrames} from whatever thread produces them.
 */
final class ServerChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerChannelHandler.class);
    /** How long a client may take to say Hello when inactivity detection is off. */
    private static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private final Broker broker;
    private final TcpSettings settings;
    private final FrameDecoder decoder;
    private final Executor commandPool;
    private Channel channel;
    private OutboundFrames out;
    private InboundThrottle throttle;
    private SerialExecutor commands;
    private CommandDispatcher dispatcher;
    private CreditLedger credit;
    private ScheduledFuture<?> handshakeDeadline;
    private boolean helloReceived;
    private boolean closing;
    private long unwritableSinceNanos;

    ServerChannelHandler(Broker broker, TcpSettings settings, FrameDecoder decoder, Executor commandPool) {
        this.broker = broker;
        this.settings = settings;
        this.decoder = decoder;
        this.commandPool = commandPool;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        out = new OutboundFrames(channel);
        throttle = new InboundThrottle(channel);
        commands = new SerialExecutor(commandPool);
        credit = new CreditLedger();
        dispatcher = new CommandDispatcher(out, credit, settings.maxFrameSize(),
                reason -> channel.eventLoop().execute(() -> violation(reason)));
        int timeout = settings.inactivityTimeoutMillis() > 0 ? settings.inactivityTimeoutMillis()
                : DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
        handshakeDeadline = ctx.executor().schedule(() -> {
            if (!helloReceived) {
                violation("no HELLO within " + timeout + " ms of connecting");
            }
        }, timeout, TimeUnit.MILLISECONDS);
        LOG.debug("tcp connection from {}", channel.remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (closing) {
                return;
            }
            int size = bytes.readableBytes();
            Frame frame;
            try {
                frame = FrameCodec.decode(bytes);
            } catch (MalformedFrameException e) {
                violation(e.getMessage());
                return;
            }
            handle(frame, size);
        } finally {
            bytes.release();
        }
    }

    private void handle(Frame frame, int size) {
        if (!helloReceived) {
            if (frame instanceof Frame.Hello hello) {
                hello(hello);
            } else {
                violation("the first frame must be HELLO, not " + frame.type());
            }
            return;
        }
        if (frame instanceof Frame.Command command) {
            throttle.started(size);
            commands.execute(() -> {
                dispatcher.execute(command);
                throttle.finished(size);
            });
        } else if (frame instanceof Frame.Heartbeat) {
            LOG.trace("Heartbeat from {}", channel.remoteAddress());
        } else if (frame instanceof Frame.Error error) {
            LOG.info("Client {} ends the connection with an error: {}: {}", channel.remoteAddress(),
                    error.exceptionType(), error.message());
            closing = true;
            channel.close();
        } else {
            violation("a client may not send " + frame.type());
        }
    }

    private void hello(Frame.Hello hello) {
        helloReceived = true;
        handshakeDeadline.cancel(false);
        if (hello.majorVersion() != FrameCodec.MAJOR_VERSION) {
            refuse("unsupported protocol version " + hello.majorVersion() + "." + hello.minorVersion()
                    + ": broker '" + broker.name() + "' speaks version " + FrameCodec.MAJOR_VERSION + ".x");
            return;
        }
        if (hello.inactivityTimeoutMillis() < 0 || hello.maxFrameSize() < 1) {
            violation("HELLO has an invalid inactivity timeout " + hello.inactivityTimeoutMillis()
                    + " or max frame size " + hello.maxFrameSize());
            return;
        }
        decoder.handshakeDone();
        int peerTimeout = hello.inactivityTimeoutMillis();
        LOG.debug("Client {} ({}) says hello, protocol {}.{}", channel.remoteAddress(), hello.peerName(),
                hello.majorVersion(), hello.minorVersion());
        commands.execute(() -> connect(peerTimeout));
    }

    /** On the command thread: the broker connection, then our Hello, then heartbeats. */
    private void connect(int peerTimeout) {
        BrokerConnection connection;
        try {
            connection = broker.connect(new DeliveryWriter(out, credit));
        } catch (JMSException | RuntimeException e) {
            LOG.info("Refusing tcp connection from {}: {}", channel.remoteAddress(), e.getMessage());
            out.write(JmsErrors.toFrame(0, e));
            out.closeWhenWritten();
            return;
        }
        dispatcher.connected(connection);
        String connectionId = connection instanceof ServerConnection s ? s.connectionId() : null;
        out.write(new Frame.Hello(FrameCodec.MAJOR_VERSION, FrameCodec.MINOR_VERSION,
                settings.inactivityTimeoutMillis(), settings.maxFrameSize(), connection.brokerName(), connectionId));
        channel.eventLoop().execute(() -> startHeartbeats(peerTimeout));
    }

    private void startHeartbeats(int peerTimeout) {
        int readTimeout = settings.inactivityTimeoutMillis();
        int writeInterval = peerTimeout / 3;
        if (!channel.isActive() || (readTimeout == 0 && writeInterval == 0)) {
            return;
        }
        channel.pipeline().addBefore(TcpTransportServer.HANDLER_NAME, "idle",
                new IdleStateHandler(readTimeout, writeInterval, 0, TimeUnit.MILLISECONDS));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (idle.state() == IdleState.WRITER_IDLE) {
            out.write(Frame.Heartbeat.INSTANCE);
        } else if (idle.state() == IdleState.READER_IDLE && !closing) {
            readerIdle();
        }
    }

    /**
     * Nothing read for the inactivity period. That proves a dead client only while we were reading: when we
     * paused for our own backlog the silence is ours; when we paused because the client is not reading our
     * writes, it is dead only once it has read nothing of ours for the whole period.
     */
    private void readerIdle() {
        int timeout = settings.inactivityTimeoutMillis();
        if (throttle.pausedForBacklog()) {
            return;
        }
        if (!channel.isWritable()) {
            if (System.nanoTime() - unwritableSinceNanos < TimeUnit.MILLISECONDS.toNanos(timeout)) {
                return;
            }
            close("it has read nothing of what the broker sent for " + timeout + " ms; presumed dead");
            return;
        }
        close("it sent nothing for " + timeout + " ms, not even a heartbeat; presumed dead");
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!channel.isWritable()) {
            unwritableSinceNanos = System.nanoTime();
        }
        throttle.update();
        out.signalRoom();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handshakeDeadline.cancel(false);
        out.signalRoom();
        if (helloReceived) {
            commands.execute(dispatcher::transportClosed);
        }
        LOG.debug("tcp connection from {} closed", channel.remoteAddress());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof MalformedFrameException m) {
            violation(m.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("tcp connection from {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        } else {
            LOG.warn("tcp connection from {} failed; closing it", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    /** The client broke the protocol: tell it why, log it, and close this connection only. */
    private void violation(String reason) {
        if (closing) {
            return;
        }
        LOG.warn("Closing tcp connection from {}: {}", channel.remoteAddress(), reason);
        endWithError(reason);
    }

    /** The client is fine but cannot be served (unknown major version). */
    private void refuse(String reason) {
        LOG.warn("Refusing tcp connection from {}: {}", channel.remoteAddress(), reason);
        endWithError(reason);
    }

    private void close(String reason) {
        LOG.info("Closing tcp connection from {}: {}", channel.remoteAddress(), reason);
        endWithError(reason);
    }

    private void endWithError(String reason) {
        closing = true;
        out.write(new Frame.Error(0, "JMSException", null, reason));
        out.closeWhenWritten();
    }
}
