package io.tern.store;

/** How a store tells its broker that it may no longer write. */
@FunctionalInterface
public interface ActivationListener {

    /**
     * This broker lost the right to write (lock lost, lease expired, election lost). Called at most once
     * per start, from a store thread; the broker must stop serving clients at once.
     */
    void activationLost(String reason);

    ActivationListener NONE = reason -> { };
}
