package io.tern.store.kahadb;

import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterFactory;
import io.tern.store.StoreSettings;

/**
 * Creates {@code kahadb} stores from the {@code store.kahadb.*} settings ({@link KahaDBConfig#from}).
 * Registered with {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class KahaDBPersistenceAdapterFactory implements PersistenceAdapterFactory {

    @Override
    public String type() {
        return KahaDBPersistenceAdapter.TYPE;
    }

    @Override
    public PersistenceAdapter create(StoreSettings settings) {
        return new KahaDBPersistenceAdapter(KahaDBConfig.from(settings));
    }
}
