package io.tern.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

/**
 * Counts a session's asynchronous sends whose completion listener has not yet returned, so close, commit
 * and rollback can wait for them (spec 7.3.8), and tells when the calling thread is inside one of those
 * completion listeners, where close, commit and rollback are forbidden. Thread-safe.
 */
final class AsyncSendTracker {

    private static final ThreadLocal<AsyncSendTracker> IN_CALLBACK = new ThreadLocal<>();

    private int outstanding;
    private boolean failed;

    synchronized void begin() {
        outstanding++;
    }

    synchronized void end() {
        outstanding--;
        if (outstanding <= 0) {
            outstanding = 0;
            notifyAll();
        }
    }

    /** Waits until every asynchronous send of the session completed and its listener returned. */
    synchronized void awaitAll() {
        boolean interrupted = false;
        while (outstanding > 0 && !failed) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The connection failed: nobody should wait for completions any more. */
    synchronized void failAll() {
        failed = true;
        notifyAll();
    }

    void runCallback(Runnable callback) {
        IN_CALLBACK.set(this);
        try {
            callback.run();
        } finally {
            IN_CALLBACK.remove();
            end();
        }
    }

    void checkNotInCallback(Object owner, String operation) throws JMSException {
        if (IN_CALLBACK.get() == this) {
            throw new IllegalStateException("a CompletionListener must not call " + operation + " on its own "
                    + (owner instanceof TernSession ? "session" : "context"));
        }
    }

    /** Whether the calling thread is running one of this tracker's completion listeners. */
    boolean isCallbackThread() {
        return IN_CALLBACK.get() == this;
    }
}
