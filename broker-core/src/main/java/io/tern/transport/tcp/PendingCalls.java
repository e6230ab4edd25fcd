package io.tern.transport.tcp;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client connection's commands that wait for their reply, by correlation ID. When the connection ends,
 * every waiting call fails with the reason and new calls are refused with it.
 *
 * <p>Thread-safe: calls are opened by application threads and completed on the event loop; a browse's
 * messages are collected on the event loop only.
 */
final class PendingCalls {

    /**
     * One command waiting for its reply. An Ok completes it with the browsed messages (an empty list for
     * other commands); a Prepared or an Outcome with its Boolean; a PreparedList with the list of transaction IDs.
     */
    static final class Call {
        private final long id;
        private final CompletableFuture<Object> reply = new CompletableFuture<>();
        private final List<MessageSnapshot> browsed = new ArrayList<>();

        private Call(long id) {
            this.id = id;
        }

        long id() {
            return id;
        }

        CompletableFuture<Object> reply() {
            return reply;
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Call> calls = new ConcurrentHashMap<>();
    private volatile String endedReason;

    /**
     * A new call with a fresh correlation ID.
     *
     * @throws IllegalStateException when the connection has ended
     */
    Call open() throws JMSException {
        checkOpen();
        Call call = new Call(ids.incrementAndGet());
        calls.put(call.id, call);
        if (endedReason != null && calls.remove(call.id) != null) {
            checkOpen();
        }
        return call;
    }

    void checkOpen() throws JMSException {
        String reason = endedReason;
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    /** Adds a browsed message to a call; false when no such call waits. */
    boolean browsed(long id, MessageSnapshot message) {
        Call call = calls.get(id);
        if (call == null) {
            return false;
        }
        call.browsed.add(message);
        return true;
    }

    /** Completes a call with success (an Ok); false when no such call waits. */
    boolean succeeded(long id) {
        Call call = calls.remove(id);
        if (call == null) {
            return false;
        }
        call.reply.complete(call.browsed);
        return true;
    }

    /** Completes a call with a value the reply carries; false when no such call waits. */
    boolean succeeded(long id, Object value) {
        Call call = calls.remove(id);
        if (call == null) {
            return false;
        }
        call.reply.complete(value);
        return true;
    }

    /** Completes a call with the broker's exception; false when no such call waits. */
    boolean failed(long id, JMSException failure) {
        Call call = calls.remove(id);
        if (call == null) {
            return false;
        }
        call.reply.completeExceptionally(failure);
        return true;
    }

    /** The connection ended: every waiting call fails, later ones are refused. Idempotent. */
    void endAll(String reason) {
        if (endedReason == null) {
            endedReason = reason;
        }
        for (Long id : List.copyOf(calls.keySet())) {
            Call call = calls.remove(id);
            if (call != null) {
                call.reply.completeExceptionally(new JMSException(reason));
            }
        }
    }
}
