package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes frames to one channel from any thread, in the order they are handed over, and flushes once per
 * batch: threads that are not the event loop queue their frames and the event loop writes whatever has
 * queued up in one go, so many small frames (deliveries, receipts) cost one system call rather than one each.
 *
 * <p>Writers that may wait (application threads, command threads; never the event loop) call
 * {@link #awaitRoom} first, so a peer that does not read holds them back instead of filling memory.
 *
 * <p><b>Threads.</b> {@link #write} from any thread; the queue is drained on the channel's event loop only.
 */
final class OutboundFrames {

    /** Bytes queued here (not yet handed to Netty) beyond which {@link #hasRoom} says no. */
    private static final long QUEUED_BYTES_LIMIT = 1 << 20;
    /** How long a closing channel waits for its last frames to go out. */
    static final long CLOSE_GRACE_MILLIS = 2_000;

    private final Channel channel;
    private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Object roomSignal = new Object();
    private volatile boolean closeWhenDrained;
    private volatile int waiters;

    OutboundFrames(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    /** Encodes and writes a frame. */
    void write(Frame frame) {
        write(FrameCodec.encode(frame, channel.alloc()));
    }

    /** Writes an encoded frame (length prefix included); takes ownership of the buffer. */
    void write(ByteBuf frame) {
        queuedBytes.addAndGet(frame.readableBytes());
        queue.add(frame);
        scheduleDrain();
    }

    /**
     * Closes the channel once everything written so far has gone out, or after {@link #CLOSE_GRACE_MILLIS}
     * at the latest: a peer that reads nothing must not keep its connection open by never taking the last frame.
     */
    void closeWhenWritten() {
        closeWhenDrained = true;
        scheduleDrain();
        try {
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            channel.close();
        }
    }

    private void scheduleDrain() {
        if (channel.eventLoop().inEventLoop()) {
            drain();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException shutDown) {
                discard();
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        ByteBuf frame;
        while ((frame = queue.poll()) != null) {
            queuedBytes.addAndGet(-frame.readableBytes());
            channel.write(frame, channel.voidPromise());
            wrote = true;
        }
        if (closeWhenDrained) {
            // The empty write completes after every earlier one, so nothing queued is cut off.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (wrote) {
            channel.flush();
        }
        signalRoom();
    }

    private void discard() {
        ByteBuf frame;
        while ((frame = queue.poll()) != null) {
            queuedBytes.addAndGet(-frame.readableBytes());
            frame.release();
        }
        signalRoom();
    }

    /** Whether a writer may go ahead: Netty's buffer is below its high-water mark and little is queued here. */
    boolean hasRoom() {
        return channel.isWritable() && queuedBytes.get() < QUEUED_BYTES_LIMIT;
    }

    /**
     * Waits until {@link #hasRoom} or the channel is closed. Never call it on the event loop, which is what
     * makes room.
     */
    void awaitRoom() {
        if (hasRoom() || channel.eventLoop().inEventLoop()) {
            return;
        }
        boolean interrupted = false;
        synchronized (roomSignal) {
            waiters++;
            try {
                while (!hasRoom() && channel.isActive()) {
                    try {
                        roomSignal.wait(1000);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                waiters--;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by the channel's handler when writability changes or the channel closes. */
    void signalRoom() {
        if (waiters > 0) {
            synchronized (roomSignal) {
                roomSignal.notifyAll();
            }
        }
    }
}
