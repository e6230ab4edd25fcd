package io.tern.transport.tcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The credit each consumer of one client connection holds at the broker, as the transport sees it: its
 * prefetch at first, one less for each delivery written to it, more for each grant. A well-behaved client
 * returns credit only for messages it was given, so a consumer never holds more than its prefetch; a grant
 * that would exceed it is a protocol violation. Checking this is what bounds the deliveries a client can
 * make the broker write to it, however it behaves.
 *
 * <p>Thread-safe: deliveries are counted on broker threads, grants on the connection's command thread.
 */
final class CreditLedger {

    private record Account(int prefetch, AtomicInteger credit) {
    }

    private final Map<Long, Account> accounts = new ConcurrentHashMap<>();

    /** A consumer is being created; before it exists at the broker, so no delivery goes uncounted. */
    void open(long consumerId, int prefetch) {
        accounts.put(consumerId, new Account(prefetch, new AtomicInteger(prefetch)));
    }

    void close(long consumerId) {
        accounts.remove(consumerId);
    }

    void delivered(long consumerId) {
        Account a = accounts.get(consumerId);
        if (a != null) {
            a.credit.decrementAndGet();
        }
    }

    /**
     * Records a grant; false when it would give the consumer more credit than its prefetch (or is not
     * positive). A grant for a consumer that is gone is accepted and ignored, since it may cross the close.
     */
    boolean grant(long consumerId, int messages) {
        if (messages < 1) {
            return false;
        }
        Account a = accounts.get(consumerId);
        if (a == null) {
            return true;
        }
        int after = a.credit.addAndGet(messages);
        if (after > a.prefetch || after < 0) {
            a.credit.addAndGet(-messages);
            return false;
        }
        return true;
    }

    /** Whether the consumer is known (created and not closed). */
    boolean isOpen(long consumerId) {
        return accounts.containsKey(consumerId);
    }
}
