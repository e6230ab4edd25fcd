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
}
