package io.tern.transport.tcp;

import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops reading a client's channel while too many of its commands wait for the connection's command thread,
 * or while the client is not reading what the broker writes to it, and starts again once both have eased
 * (with hysteresis, so reading does not flap). Not reading lets TCP push back on the client, so no buffer on
 * the broker grows with what a client sends.
 *
 * <p>Sends waiting for their receipt (held by flow control, or for the store) do not count: reading must go
 * on, or the acknowledgements and credit behind them on the same connection, which may be what frees the
 * memory those sends wait for, would never be read. Those sends are bounded by the client's send window
 * instead, which {@link CommandDispatcher} enforces.
 *
 * <p><b>Threads.</b> Counters are atomic: work starts on the event loop and finishes on any thread. The
 * decision and {@code autoRead} belong to the event loop; other threads only ask it to re-decide.
 */
final class InboundThrottle {

    static final int MAX_OUTSTANDING_COMMANDS = 512;
    static final long MAX_OUTSTANDING_BYTES = 8L << 20;

    private final Channel channel;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong outstandingBytes = new AtomicLong();
    private final AtomicBoolean recheckScheduled = new AtomicBoolean();
    private volatile boolean paused;

    InboundThrottle(Channel channel) {
        this.channel = channel;
    }

    /** A command of {@code bytes} was read; called on the event loop. */
    void started(int bytes) {
        outstanding.incrementAndGet();
        outstandingBytes.addAndGet(bytes);
        if (!paused && overloaded()) {
            update();
        }
    }

    /** A command has run (a send: handed to the broker); any thread. */
    void finished(int bytes) {
        int left = outstanding.decrementAndGet();
        long leftBytes = outstandingBytes.addAndGet(-bytes);
        if (paused && left <= MAX_OUTSTANDING_COMMANDS / 2 && leftBytes <= MAX_OUTSTANDING_BYTES / 2
                && recheckScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                recheckScheduled.set(false);
                update();
            });
        }
    }

    /** Whether reading is paused because of the broker's own backlog (and not because the peer is slow). */
    boolean pausedForBacklog() {
        return paused && channel.isWritable();
    }

    private boolean overloaded() {
        return outstanding.get() >= MAX_OUTSTANDING_COMMANDS || outstandingBytes.get() >= MAX_OUTSTANDING_BYTES;
    }

    private boolean relieved() {
        return outstanding.get() <= MAX_OUTSTANDING_COMMANDS / 2
                && outstandingBytes.get() <= MAX_OUTSTANDING_BYTES / 2;
    }

    /** Re-decides whether to read; on the event loop, also when writability changes. */
    void update() {
        boolean writable = channel.isWritable();
        if (!paused && (overloaded() || !writable)) {
            paused = true;
            channel.config().setAutoRead(false);
        } else if (paused && writable && relieved()) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }
}
