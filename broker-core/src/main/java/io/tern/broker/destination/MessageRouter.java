package io.tern.broker.destination;

import io.tern.protocol.MessageSnapshot;

import java.util.concurrent.CompletableFuture;

/**
 * Where a destination sends the messages it gives up on: expired ones to the expiry queue, ones
 * redelivered too often to their dead-letter queue. Called from the broker's task thread, never under a
 * destination lock; the returned future completes when the copy is stored, and only then does the
 * source remove its own.
 */
public interface MessageRouter {

    CompletableFuture<Void> expired(DispatchQueue from, MessageSnapshot message);

    CompletableFuture<Void> deadLetter(DispatchQueue from, MessageSnapshot message, String deadLetterQueue,
                                       String reason);

    /** Discards everything: for destinations with nowhere to route (tests of a single queue). */
    MessageRouter DISCARD = new MessageRouter() {
        @Override
        public CompletableFuture<Void> expired(DispatchQueue from, MessageSnapshot message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> deadLetter(DispatchQueue from, MessageSnapshot message, String deadLetterQueue,
                                                  String reason) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
