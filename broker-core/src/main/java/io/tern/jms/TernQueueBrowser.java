package io.tern.jms;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Looks at the messages waiting on a queue without consuming them. Each enumeration is a snapshot of the
 * queue taken when {@link #getEnumeration} is called. Not thread-safe, like its session.
 */
public class TernQueueBrowser implements QueueBrowser {

    private final TernSession session;
    private final Queue queue;
    private final String selector;
    private volatile boolean closed;

    TernQueueBrowser(TernSession session, Queue queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        List<MessageSnapshot> messages = session.connection().broker()
                .browse(((TernDestination) queue).address(), selector);
        Iterator<MessageSnapshot> it = messages.iterator();
        return new Enumeration<Object>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public Object nextElement() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return TernMessage.fromSnapshot(it.next(), false, 0);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        session.browserClosed(this);
    }

    void markClosed() {
        closed = true;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the browser is closed");
        }
        session.checkOpen();
    }
}
