package io.tern.store;

/** A store setting that is unknown or has a bad value; the message names the key and what it accepts. */
public class StoreConfigurationException extends IllegalArgumentException {

    private final String key;

    public StoreConfigurationException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The full key at fault, such as {@code store.kahadb.directory}. */
    public String key() {
        return key;
    }
}
