package io.tern.jms;

/**
 * Told when a {@code failover:} connection loses its broker and when it is connected again with its state
 * restored, as ActiveMQ's {@code TransportListener} is. Set it on a {@link TernConnection}, or on the
 * {@link TernConnectionFactory} for every connection it opens (which suits Spring).
 *
 * <p>Both methods run on a thread of the connection's own, one event at a time and in order, so they may
 * take their time without holding the reconnection up; they may not rely on the connection being up. The
 * JMS {@code ExceptionListener} is called only when failover gives up.
 */
public interface TransportListener {

    /**
     * The connection to the broker was lost and failover is reconnecting. Messages received but not yet
     * acknowledged will come again (flagged redelivered); acknowledging them now throws. Calls wait for the
     * reconnection, up to the URL's {@code timeout}.
     */
    void transportInterrupted();

    /** The connection is back, on the same or another broker, with its consumers and client ID restored. */
    void transportResumed();
}
