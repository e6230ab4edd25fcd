package io.tern.junit5;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique broker names for test brokers. Names must differ between brokers running at the same time in
 * one JVM (they are {@code vm://} addresses), so a JVM-wide sequence number follows the prefix.
 */
final class BrokerNames {

    /** Leaves room for the sequence number within the broker's 100-character limit. */
    private static final int MAX_PREFIX = 80;

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private BrokerNames() {
    }

    /** {@code <prefix>-<n>}, with characters a broker name may not hold replaced by '-'. */
    static String next(String prefix) {
        return sanitise(prefix) + "-" + SEQUENCE.incrementAndGet();
    }

    static String sanitise(String prefix) {
        StringBuilder sb = new StringBuilder(Math.min(prefix.length(), MAX_PREFIX));
        for (int i = 0; i < prefix.length() && sb.length() < MAX_PREFIX; i++) {
            char c = prefix.charAt(i);
            boolean allowed = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
            sb.append(allowed ? c : '-');
        }
        return sb.length() == 0 ? "tern-test" : sb.toString();
    }
}
