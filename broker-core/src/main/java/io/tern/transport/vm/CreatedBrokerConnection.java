package io.tern.transport.vm;

import io.tern.broker.Broker;
import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.transport.BrokerConnection;
import io.tern.transport.ConsumerSpec;
import jakarta.jms.JMSException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection to a broker that {@code vm://...?create=true} started: when it closes, the broker may
 * stop with it (if it was the last). Every other call passes straight through.
 */
final class CreatedBrokerConnection implements BrokerConnection {

    private final BrokerConnection delegate;
    private final Broker broker;
    private final AtomicBoolean closed = new AtomicBoolean();

    CreatedBrokerConnection(BrokerConnection delegate, Broker broker) {
        this.delegate = delegate;
        this.broker = broker;
    }

    @Override
    public void close() {
        delegate.close();
        if (closed.compareAndSet(false, true)) {
            VmTransport.connectionClosed(broker);
        }
    }

    @Override
    public void setClientId(String clientId) throws JMSException {
        delegate.setClientId(clientId);
    }

    @Override
    public String brokerName() {
        return delegate.brokerName();
    }

    @Override
    public CompletableFuture<Void> send(long transactionId, MessageSnapshot message) {
        return delegate.send(transactionId, message);
    }

    @Override
    public void checkDestination(Address address) throws JMSException {
        delegate.checkDestination(address);
    }

    @Override
    public void addConsumer(ConsumerSpec spec) throws JMSException {
        delegate.addConsumer(spec);
    }

    @Override
    public void addCredit(long consumerId, int messages) {
        delegate.addCredit(consumerId, messages);
    }

    @Override
    public void removeConsumer(long consumerId) throws JMSException {
        delegate.removeConsumer(consumerId);
    }

    @Override
    public void acknowledge(long[] deliveryIds) throws JMSException {
        delegate.acknowledge(deliveryIds);
    }

    @Override
    public void release(long[] deliveryIds, boolean seen) throws JMSException {
        delegate.release(deliveryIds, seen);
    }

    @Override
    public void commit(long transactionId, long[] acknowledged) throws JMSException {
        delegate.commit(transactionId, acknowledged);
    }

    @Override
    public void commit(long transactionId, long[] acknowledged, String outcomeKey) throws JMSException {
        delegate.commit(transactionId, acknowledged, outcomeKey);
    }

    @Override
    public boolean transactionCommitted(String outcomeKey) throws JMSException {
        return delegate.transactionCommitted(outcomeKey);
    }

    @Override
    public boolean prepare(long transactionId, io.tern.store.GlobalTransactionId xid, long[] acknowledged)
            throws JMSException {
        return delegate.prepare(transactionId, xid, acknowledged);
    }

    @Override
    public void commitPrepared(io.tern.store.GlobalTransactionId xid) throws JMSException {
        delegate.commitPrepared(xid);
    }

    @Override
    public void rollbackPrepared(io.tern.store.GlobalTransactionId xid) throws JMSException {
        delegate.rollbackPrepared(xid);
    }

    @Override
    public List<io.tern.store.GlobalTransactionId> recoverPrepared() throws JMSException {
        return delegate.recoverPrepared();
    }

    @Override
    public void rollback(long transactionId, long[] seen) throws JMSException {
        delegate.rollback(transactionId, seen);
    }

    @Override
    public List<MessageSnapshot> browse(Address queue, String selector) throws JMSException {
        return delegate.browse(queue, selector);
    }

    @Override
    public void createTemporaryDestination(Address address) throws JMSException {
        delegate.createTemporaryDestination(address);
    }

    @Override
    public void deleteTemporaryDestination(Address address) throws JMSException {
        delegate.deleteTemporaryDestination(address);
    }

    @Override
    public void unsubscribe(String subscriptionName) throws JMSException {
        delegate.unsubscribe(subscriptionName);
    }
}
