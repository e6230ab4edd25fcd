package io.tern.transport.failover;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The credit of each consumer at the broker of one {@link Link}, as far as the client knows: a grant is cut so
 * that no consumer ever goes beyond its prefetch, whatever the application's consumers still owe from an
 * earlier link.
 *
 * <p><b>Threads.</b> Lock-free: deliveries count down on the link's I/O thread, grants count up on application
 * threads, and consumers are opened and forgotten by application threads (while the link is live) or by the
 * reconnecting thread (while it restores the link).
 */
final class LinkCredit {

    private final Map<Long, Credit> consumers = new ConcurrentHashMap<>();

    /** A consumer whose full prefetch the broker of this link grants it on creation. */
    void open(long consumerId, int prefetch) {
        consumers.put(consumerId, new Credit(prefetch));
    }

    void forget(long consumerId) {
        consumers.remove(consumerId);
    }

    boolean has(long consumerId) {
        return consumers.containsKey(consumerId);
    }

    /** The consumers opened on this link; a live view. */
    Set<Long> consumerIds() {
        return consumers.keySet();
    }

    /** A message was delivered to the consumer on this link. */
    void delivered(long consumerId) {
        Credit c = consumers.get(consumerId);
        if (c != null) {
            c.delivered();
        }
    }

    /** How much of a grant of {@code messages} may go to the broker: 0 for a consumer not open on this link. */
    int take(long consumerId, int messages) {
        Credit c = consumers.get(consumerId);
        return c == null ? 0 : c.take(messages);
    }

    /** One consumer's credit: never above its prefetch. */
    private static final class Credit {
        private final int prefetch;
        private final AtomicInteger credit;

        Credit(int prefetch) {
            this.prefetch = prefetch;
            this.credit = new AtomicInteger(prefetch);
        }

        void delivered() {
            credit.decrementAndGet();
        }

        int take(int messages) {
            while (true) {
                int now = credit.get();
                int grant = Math.min(messages, prefetch - now);
                if (grant <= 0) {
                    return 0;
                }
                if (credit.compareAndSet(now, now + grant)) {
                    return grant;
                }
            }
        }
    }
}
