package io.tern.store;

/**
 * How full a store is.
 *
 * @param usedBytes bytes held now
 * @param limitBytes the limit beyond which the broker holds producers back; {@code Long.MAX_VALUE} for none
 */
public record StoreUsage(long usedBytes, long limitBytes) {

    public boolean isFull() {
        return usedBytes >= limitBytes;
    }
}
