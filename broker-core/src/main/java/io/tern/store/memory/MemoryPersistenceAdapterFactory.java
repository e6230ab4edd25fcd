package io.tern.store.memory;

import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterFactory;
import io.tern.store.StoreSettings;

/**
 * Creates {@code memory} stores. One setting: {@code store.memory.limit}, the bytes beyond which the broker
 * holds producers back (such as {@code 512mb}; default 1 GiB). Stateless and thread-safe.
 */
public final class MemoryPersistenceAdapterFactory implements PersistenceAdapterFactory {

    @Override
    public String type() {
        return MemoryPersistenceAdapter.TYPE;
    }

    @Override
    public PersistenceAdapter create(StoreSettings settings) {
        long limit = settings.getBytes("limit", MemoryPersistenceAdapter.DEFAULT_LIMIT_BYTES, 1, Long.MAX_VALUE);
        settings.requireNoUnknownKeys();
        return new MemoryPersistenceAdapter(limit);
    }
}
