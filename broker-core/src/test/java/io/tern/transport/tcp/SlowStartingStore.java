package io.tern.transport.tcp;

import io.tern.protocol.Address;
import io.tern.store.ActivationListener;
import io.tern.store.MessageStore;
import io.tern.store.PersistenceAdapter;
import io.tern.store.StoreUsage;
import io.tern.store.TopicMessageStore;
import io.tern.store.TransactionStore;
import io.tern.store.memory.MemoryPersistenceAdapter;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * An in-memory store whose start blocks until released, as a shared or replicated store blocks until this
 * broker may write: it keeps a broker "starting" for as long as a test needs.
 */
public final class SlowStartingStore implements PersistenceAdapter {

    private final MemoryPersistenceAdapter delegate = new MemoryPersistenceAdapter();
    private final CountDownLatch activated = new CountDownLatch(1);
    private final CountDownLatch starting = new CountDownLatch(1);

    public void activate() {
        activated.countDown();
    }

    public void awaitStarting() throws InterruptedException {
        starting.await();
    }

    @Override
    public void start(ActivationListener listener) throws IOException {
        starting.countDown();
        try {
            activated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to activate", e);
        }
        delegate.start(listener);
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public void stop() throws IOException {
        delegate.stop();
    }

    @Override
    public boolean isDurable() {
        return delegate.isDurable();
    }

    @Override
    public Set<Address> destinations() {
        return delegate.destinations();
    }

    @Override
    public MessageStore queueStore(String queueName) throws IOException {
        return delegate.queueStore(queueName);
    }

    @Override
    public TopicMessageStore topicStore(String topicName) throws IOException {
        return delegate.topicStore(topicName);
    }

    @Override
    public void removeDestination(Address address) throws IOException {
        delegate.removeDestination(address);
    }

    @Override
    public TransactionStore transactionStore() {
        return delegate.transactionStore();
    }

    @Override
    public StoreUsage usage() {
        return delegate.usage();
    }

    @Override
    public void deleteAllMessages() throws IOException {
        delegate.deleteAllMessages();
    }
}
