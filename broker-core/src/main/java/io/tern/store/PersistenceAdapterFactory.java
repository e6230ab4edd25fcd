package io.tern.store;

import java.util.ServiceLoader;

/**
 * Creates the adapters of one store type. Each store module registers one in
 * {@code META-INF/services/io.tern.store.PersistenceAdapterFactory}, so swapping stores is a change of
 * configuration alone ({@code store.type=kahadb}).
 */
public interface PersistenceAdapterFactory {

    /** The type name users configure: {@code memory}, {@code kahadb}, {@code jdbc-journal}, ... */
    String type();

    /**
     * Creates an adapter from the {@code store.<type>.*} settings (given here without that prefix).
     *
     * @throws StoreConfigurationException for an unknown key or a bad value, naming the key
     */
    PersistenceAdapter create(StoreSettings settings);

    /** The factory registered for {@code type}, or an error that lists the types available. */
    static PersistenceAdapterFactory forType(String type) {
        StringBuilder known = new StringBuilder();
        for (PersistenceAdapterFactory f : ServiceLoader.load(PersistenceAdapterFactory.class,
                PersistenceAdapterFactory.class.getClassLoader())) {
            if (f.type().equals(type)) {
                return f;
            }
            known.append(known.length() == 0 ? "" : ", ").append(f.type());
        }
        throw new StoreConfigurationException("store.type", "unknown store type '" + type
                + "'; available: " + known + " (add the store module to the classpath for others)");
    }
}
