package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.MalformedFrameException;
import io.tern.protocol.MalformedMessageException;
import io.tern.protocol.MessageCodec;
import io.tern.transport.Delivery;
import io.tern.transport.DeliveryListener;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The client's end of a tcp connection: routes the broker's Hello to the connecting thread, replies to the
 * calls waiting for them, deliveries to the {@link DeliveryListener}, and the end of the connection (broker
 * gone, silent for the inactivity period, protocol violation) to every waiting call and, unless the
 * application closed it, to {@link DeliveryListener#onConnectionFailure}.
 *
 * <p><b>Threads.</b> Runs on the channel's event loop, which owns every field but {@link #closedByClient}.
 * The listener is called there too; it must not block (the JMS client only buffers), and a synchronous
 * {@link TcpBrokerConnection} call from it is refused rather than left to deadlock.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientChannelHandler.class);

    private final String address;
    private final int inactivityTimeoutMillis;
    private final PendingCalls calls;
    private final DeliveryListener listener;
    private final CompletableFuture<Frame.Hello> hello = new CompletableFuture<>();
    private OutboundFrames out;
    private volatile boolean closedByClient;
    private JMSException failure;

    ClientChannelHandler(String address, int inactivityTimeoutMillis, PendingCalls calls, DeliveryListener listener) {
        this.address = address;
        this.inactivityTimeoutMillis = inactivityTimeoutMillis;
        this.calls = calls;
        this.listener = listener;
    }

    /** Completes with the broker's Hello, or fails with why the connection was refused or lost. */
    CompletableFuture<Frame.Hello> hello() {
        return hello;
    }

    OutboundFrames out() {
        return out;
    }

    /** The application is closing the connection: its end is no failure. */
    void closingByClient() {
        closedByClient = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        out = new OutboundFrames(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (failure != null) {
                return;
            }
            Frame frame;
            try {
                frame = FrameCodec.decode(bytes);
            } catch (MalformedFrameException e) {
                violation(e.getMessage());
                return;
            }
            handle(frame);
        } finally {
            bytes.release();
        }
    }

    private void handle(Frame frame) {
        if (!hello.isDone()) {
            if (frame instanceof Frame.Hello h) {
                hello.complete(h);
            } else if (frame instanceof Frame.Error e && e.correlationId() == 0) {
                failure = JmsErrors.toException(new Frame.Error(0, e.exceptionType(), e.errorCode(),
                        "the broker at " + address + " refused the connection: " + e.message()));
                hello.completeExceptionally(failure);
            } else {
                violation("the broker's first frame is " + frame.type() + ", not HELLO");
            }
            return;
        }
        boolean known;
        if (frame instanceof Frame.Deliver d) {
            deliver(d);
            known = true;
        } else if (frame instanceof Frame.Ok ok) {
            known = calls.succeeded(ok.correlationId());
        } else if (frame instanceof Frame.Error e) {
            if (e.correlationId() == 0) {
                failure = JmsErrors.toException(e);
                LOG.debug("Broker at {} ends the connection: {}", address, e.message());
                known = true;
            } else {
                known = calls.failed(e.correlationId(), JmsErrors.toException(e));
            }
        } else if (frame instanceof Frame.BrowseChunk chunk) {
            known = browsed(chunk);
        } else if (frame instanceof Frame.Prepared p) {
            known = calls.succeeded(p.correlationId(), p.prepared());
        } else if (frame instanceof Frame.PreparedList p) {
            known = calls.succeeded(p.correlationId(), p.transactions());
        } else if (frame instanceof Frame.Outcome o) {
            known = calls.succeeded(o.correlationId(), o.committed());
        } else if (frame instanceof Frame.Heartbeat) {
            known = true;
        } else {
            violation("a broker may not send " + frame.type() + " here");
            return;
        }
        if (!known) {
            violation(frame.type() + " answers no command that is waiting");
        }
    }

    private void deliver(Frame.Deliver d) {
        try {
            listener.onDelivery(new Delivery(d.consumerId(), d.deliveryId(), MessageCodec.decode(d.message()),
                    d.deliveryCount()));
        } catch (MalformedMessageException e) {
            violation("DELIVERY carries an undecodable message: " + e.getMessage());
        }
    }

    private boolean browsed(Frame.BrowseChunk chunk) {
        for (byte[] m : chunk.messages()) {
            try {
                if (!calls.browsed(chunk.correlationId(), MessageCodec.decode(m))) {
                    return false;
                }
            } catch (MalformedMessageException e) {
                violation("BROWSE_CHUNK carries an undecodable message: " + e.getMessage());
                return true;
            }
        }
        return true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (idle.state() == IdleState.WRITER_IDLE) {
            out.write(Frame.Heartbeat.INSTANCE);
        } else if (idle.state() == IdleState.READER_IDLE && failure == null) {
            String reason = "the broker at " + address + " sent nothing for " + inactivityTimeoutMillis
                    + " ms, not even a heartbeat; the connection is presumed dead";
            LOG.warn(reason);
            failure = new JMSException(reason);
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        out.signalRoom();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        out.signalRoom();
        JMSException cause = failure != null ? failure
                : new JMSException("the connection to the broker at " + address + " was closed by the broker or"
                        + " the network");
        hello.completeExceptionally(cause);
        String reason = closedByClient ? "the connection to " + address + " is closed" : cause.getMessage();
        calls.endAll(reason);
        if (!closedByClient && hello.isDone() && !hello.isCompletedExceptionally()) {
            listener.onConnectionFailure(cause);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof MalformedFrameException m) {
            violation(m.getMessage());
            return;
        }
        if (failure == null) {
            failure = new JMSException("the connection to the broker at " + address + " failed: " + cause.getMessage());
            failure.setLinkedException(cause instanceof Exception e ? e : new Exception(cause));
        }
        if (cause instanceof IOException) {
            LOG.debug("Connection to {} failed: {}", address, cause.getMessage());
        } else {
            LOG.warn("Connection to {} failed", address, cause);
        }
        ctx.close();
    }

    /** The broker broke the protocol: tell it, and end the connection. */
    private void violation(String reason) {
        if (failure != null) {
            return;
        }
        LOG.warn("Closing the connection to {}: {}", address, reason);
        failure = new JMSException("protocol error from the broker at " + address + ": " + reason);
        hello.completeExceptionally(failure);
        out.write(new Frame.Error(0, "JMSException", null, reason));
        out.closeWhenWritten();
    }
}
