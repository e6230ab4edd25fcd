package io.tern.jms;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * A message whose body is a serialized Java object. The object is serialized when it is set, so later
 * changes to it are not part of the message, and each {@link #getObject()} deserializes a fresh copy.
 * Classes resolve through the thread's context class loader first (application servers and test
 * frameworks load application classes there), then the loader of the calling code; the JVM-wide
 * deserialization filter ({@code jdk.serialFilter}) applies as to any ObjectInputStream.
 *
 * <p>The serialized array is created here and never written again, so snapshots share it.
 * Not thread-safe, like every message.
 */
public class TernObjectMessage extends TernMessage implements ObjectMessage {

    private byte[] serialized;

    public TernObjectMessage() {
    }

    // ---- body hooks ----

    @Override
    BodyType bodyType() {
        return BodyType.OBJECT;
    }

    @Override
    Object snapshotBody() {
        return serialized;
    }

    @Override
    void loadSnapshotBody(Object body) {
        serialized = (byte[]) body;
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    boolean hasBody() {
        return serialized != null;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Serializable object = getObject();
        if (object == null) {
            return null;
        }
        if (c == null || !c.isInstance(object)) {
            throw new MessageFormatException("the object of the ObjectMessage is a " + object.getClass().getName()
                    + " and cannot be returned as " + (c == null ? "null" : c.getName()));
        }
        return c.cast(object);
    }

    /** Deserializes the object to find its class; false when that fails. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        if (serialized == null) {
            return true;
        }
        try {
            return c != null && c.isInstance(getObject());
        } catch (JMSException e) {
            return false;
        }
    }

    // ---- the object ----

    /**
     * Serializes {@code object} now (null for no body).
     *
     * @throws MessageFormatException when it cannot be serialized
     */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        if (object == null) {
            serialized = null;
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw formatException("cannot serialize the " + object.getClass().getName() + " of an ObjectMessage", e);
        }
        serialized = bytes.toByteArray();
    }

    /**
     * A fresh copy of the object, or null when none is set.
     *
     * @throws MessageFormatException when it cannot be deserialized (a class is missing, or the data is bad)
     */
    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        try (ObjectInputStream in = new ContextClassLoaderObjectInputStream(new ByteArrayInputStream(serialized))) {
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw formatException("cannot deserialize the object of an ObjectMessage", e);
        }
    }

    private static MessageFormatException formatException(String what, Exception cause) {
        MessageFormatException e = new MessageFormatException(what + ": " + cause);
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }

    /** Resolves classes through the context class loader first, then as ObjectInputStream does. */
    private static final class ContextClassLoaderObjectInputStream extends ObjectInputStream {

        ContextClassLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall through to the default resolution (primitives, the caller's loader)
                }
            }
            return super.resolveClass(desc);
        }
    }
}
