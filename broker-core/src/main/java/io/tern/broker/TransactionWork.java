package io.tern.broker;

import io.tern.store.TransactionOperation;

import java.util.ArrayList;
import java.util.List;

/**
 * What a transaction does, split into its store operations (written atomically by commit, or kept by
 * prepare) and the in-memory effects that follow the outcome: sends become visible and acknowledged
 * messages are consumed on commit; acknowledged messages come back on rollback.
 *
 * <p>Built by one thread, then handed to the thread that resolves it; not shared while being built.
 */
final class TransactionWork {

    private final List<TransactionOperation> operations = new ArrayList<>();
    private final List<Runnable> onCommitted = new ArrayList<>();
    private final List<Runnable> onRolledBack = new ArrayList<>();

    void addOperation(TransactionOperation operation) {
        operations.add(operation);
    }

    void onCommitted(Runnable effect) {
        onCommitted.add(effect);
    }

    void onRolledBack(Runnable effect) {
        onRolledBack.add(effect);
    }

    List<TransactionOperation> operations() {
        return operations;
    }

    boolean isEmpty() {
        return operations.isEmpty() && onCommitted.isEmpty() && onRolledBack.isEmpty();
    }

    void committed() {
        onCommitted.forEach(Runnable::run);
    }

    void rolledBack() {
        onRolledBack.forEach(Runnable::run);
    }
}
