package io.tern.transport.failover;

import io.tern.protocol.MessageSnapshot;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A send outside a transaction that no broker has confirmed yet: issued on one link, and again on each next
 * link until a broker confirms or refuses it; {@link #outer} is what the application waits on.
 *
 * <p><b>Threads.</b> {@link #link}, the link it was last issued on, is guarded by the state lock (it is set and
 * read only inside {@link RestorableState}). {@link #outer} is completed once, by whichever thread settles the
 * send: a link's I/O thread with the receipt, the reconnecting thread when the sends expire or failover gives
 * up, or the application thread that closes the connection.
 */
final class PendingSend {
    final MessageSnapshot message;
    final CompletableFuture<Void> outer = new CompletableFuture<>();
    Link link;

    PendingSend(MessageSnapshot message) {
        this.message = message;
    }

    /** Sends it on {@code link}; the receipt settles it unless it must be resent. Never holds the lock. */
    void issue(Link link, RestorableState records) {
        CompletableFuture<Void> sent;
        try {
            sent = link.connection.send(0, message);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, err) -> done(link, err, records));
    }

    /**
     * A receipt or failure from one link. A failure because the link was lost leaves the send to be resent on
     * the next link; a failure the broker gave is the application's.
     */
    private void done(Link link, Throwable err, RestorableState records) {
        if (err != null && !link.alive()) {
            return;
        }
        if (!records.settle(this, link, err != null)) {
            return;
        }
        if (err == null) {
            outer.complete(null);
        } else {
            outer.completeExceptionally(err instanceof CompletionException && err.getCause() != null
                    ? err.getCause() : err);
        }
    }
}
