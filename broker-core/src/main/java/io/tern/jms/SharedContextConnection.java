package io.tern.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

/**
 * The connection behind a {@code JMSContext} and the contexts made from it with
 * {@code JMSContext.createContext(int)}: it counts the contexts that are open and closes the connection
 * when the last of them closes (JMSContext.close javadoc). Thread-safe: contexts may be closed from any
 * thread.
 */
final class SharedContextConnection {

    private final TernConnection connection;
    /** Open contexts; the connection closes when it drops to zero. Guarded by this. */
    private int openContexts;

    /** Takes over {@code connection} for its first context, which counts as open. */
    SharedContextConnection(TernConnection connection) {
        this.connection = connection;
        this.openContexts = 1;
    }

    TernConnection connection() {
        return connection;
    }

    /** Counts one more context on the connection. */
    synchronized void retain() throws JMSException {
        if (openContexts == 0) {
            throw new IllegalStateException("the connection of this JMSContext is closed");
        }
        openContexts++;
    }

    /** One context closed; the last one closes the connection. */
    void release() throws JMSException {
        boolean last;
        synchronized (this) {
            if (openContexts == 0) {
                return;
            }
            openContexts--;
            last = openContexts == 0;
        }
        if (last) {
            connection.close();
        }
    }
}
