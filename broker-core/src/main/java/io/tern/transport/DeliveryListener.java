package io.tern.transport;

/**
 * What the broker calls on a client connection. Calls come from broker threads (dispatch, store
 * completion) and must not block: implementations buffer and return.
 */
public interface DeliveryListener {

    /** A message for one of the connection's consumers. */
    void onDelivery(Delivery delivery);

    /** The connection is gone (broker stopped, lost its store, transport failed). Called at most once. */
    void onConnectionFailure(Exception cause);

    /**
     * A failover connection lost its broker and is reconnecting: deliveries received so far can no longer be
     * acknowledged (the broker gives them to consumers again, flagged redelivered), so whatever the client
     * buffered and the application has not seen must be dropped, and credit accounting starts again from
     * each consumer's prefetch. May be called again before {@link #transportResumed} when a reconnection
     * fails halfway (deliveries of that half-restored connection are stale too). Called on the reconnecting
     * thread or an I/O thread: must not block.
     */
    default void transportInterrupted() {
    }

    /** A failover connection is connected again, with its state restored. Must not block. */
    default void transportResumed() {
    }
}
