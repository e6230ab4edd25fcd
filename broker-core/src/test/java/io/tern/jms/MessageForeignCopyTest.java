package io.tern.jms;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Messages of "another provider": proxies that implement only the jakarta.jms interfaces. */
class MessageForeignCopyTest {

    /** A message of another provider, backed by {@code backing}; {@code refuseGetBody} mimics a provider without it. */
    @SuppressWarnings("unchecked")
    static <T extends Message> T foreign(Class<T> type, TernMessage backing, boolean refuseGetBody) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (refuseGetBody && method.getName().equals("getBody")) {
                throw new JMSException("getBody is not supported here");
            }
            try {
                return method.invoke(backing, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static <T extends TernMessage> T withHeadersAndProperties(T m) throws JMSException {
        m.setJMSMessageID("ID:foreign-1");
        m.setJMSTimestamp(11);
        m.setJMSCorrelationID("corr");
        m.setJMSReplyTo(MessageSnapshotTest.foreignQueue("replies"));
        m.setJMSDestination(MessageSnapshotTest.foreignQueue("target"));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSType("kind");
        m.setJMSExpiration(99);
        m.setJMSDeliveryTime(33);
        m.setJMSPriority(2);
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) 1);
        m.setShortProperty("short", (short) 2);
        m.setIntProperty("int", 3);
        m.setLongProperty("long", 4);
        m.setFloatProperty("float", 5f);
        m.setDoubleProperty("double", 6d);
        m.setStringProperty("string", "7");
        return m;
    }

    private static void checkHeadersAndProperties(TernMessage copy) throws JMSException {
        MessageSnapshot s = copy.toSnapshot("p", 1);
        assertEquals("ID:foreign-1", s.messageId());
        assertEquals(11, s.timestamp());
        assertEquals("corr", s.correlationId());
        assertEquals(Address.queue("replies"), s.replyTo());
        assertEquals(Address.queue("target"), s.destination());
        assertEquals(DeliveryMode.NON_PERSISTENT, s.deliveryMode());
        assertEquals("kind", s.type());
        assertEquals(99, s.expiration());
        assertEquals(33, s.deliveryTime());
        assertEquals(2, s.priority());
        assertEquals(Map.of("bool", true, "byte", (byte) 1, "short", (short) 2, "int", 3, "long", 4L,
                "float", 5f, "double", 6d, "string", "7"), s.properties());
    }

    @Test
    void plainMessage() throws JMSException {
        TernMessage copy = TernMessage.copyOf(foreign(Message.class, withHeadersAndProperties(new TernMessage()), false));
        assertEquals(TernMessage.class, copy.getClass());
        checkHeadersAndProperties(copy);
    }

    @Test
    void textMessage() throws JMSException {
        TernTextMessage m = withHeadersAndProperties(new TernTextMessage("hello"));
        TernMessage copy = TernMessage.copyOf(foreign(TextMessage.class, m, false));
        assertEquals("hello", ((TernTextMessage) copy).getText());
        checkHeadersAndProperties(copy);
    }

    @Test
    void bytesMessageThroughGetBodyLeavesTheForeignMessageAsItWas() throws JMSException {
        TernBytesMessage m = withHeadersAndProperties(new TernBytesMessage());
        m.writeInt(7);
        BytesMessage f = foreign(BytesMessage.class, m, false);
        TernMessage copy = TernMessage.copyOf(f);
        checkHeadersAndProperties(copy);
        assertArrayEquals(new byte[] {0, 0, 0, 7}, (byte[]) copy.toSnapshot("p", 1).body());
        f.writeInt(8); // still in write mode
    }

    @Test
    void bytesMessageOfAProviderWithoutGetBody() throws JMSException {
        TernBytesMessage m = withHeadersAndProperties(new TernBytesMessage());
        byte[] big = new byte[20000];
        big[19999] = 5;
        m.writeBytes(big);
        TernMessage copy = TernMessage.copyOf(foreign(BytesMessage.class, m, true));
        assertArrayEquals(big, (byte[]) copy.toSnapshot("p", 1).body());
        checkHeadersAndProperties(copy);
    }

    @Test
    void mapMessage() throws JMSException {
        TernMapMessage m = withHeadersAndProperties(new TernMapMessage());
        m.setChar("c", 'x');
        m.setBytes("b", new byte[] {1});
        m.setString("n", null);
        TernMapMessage copy = (TernMapMessage) TernMessage.copyOf(foreign(MapMessage.class, m, false));
        assertEquals('x', copy.getChar("c"));
        assertArrayEquals(new byte[] {1}, copy.getBytes("b"));
        assertNull(copy.getString("n"));
        assertEquals(3, java.util.Collections.list(copy.getMapNames()).size());
        checkHeadersAndProperties(copy);
    }

    @Test
    void streamMessage() throws JMSException {
        TernStreamMessage m = withHeadersAndProperties(new TernStreamMessage());
        m.writeInt(1);
        m.writeBytes(new byte[] {2});
        m.writeObject(null);
        m.writeString("s");
        TernStreamMessage copy = (TernStreamMessage) TernMessage.copyOf(foreign(StreamMessage.class, m, false));
        checkHeadersAndProperties(copy);
        copy.reset();
        assertEquals(1, copy.readInt());
        assertArrayEquals(new byte[] {2}, (byte[]) copy.readObject());
        assertNull(copy.readObject());
        assertEquals("s", copy.readString());
        assertThrows(jakarta.jms.MessageEOFException.class, copy::readObject);
        assertEquals(1, m.readInt(), "the foreign stream is left reset");
    }

    @Test
    void objectMessage() throws JMSException {
        TernObjectMessage m = withHeadersAndProperties(new TernObjectMessage());
        m.setObject(new MessageBodyTest.Box(4));
        TernObjectMessage copy = (TernObjectMessage) TernMessage.copyOf(foreign(ObjectMessage.class, m, false));
        assertEquals(4, ((MessageBodyTest.Box) copy.getObject()).value);
        checkHeadersAndProperties(copy);
    }

    @Test
    void copyOfATernMessageIsIndependent() throws JMSException {
        TernTextMessage m = withHeadersAndProperties(new TernTextMessage("one"));
        TernMessage copy = TernMessage.copyOf(m);
        m.setText("two");
        m.setIntProperty("int", 100);
        assertEquals("one", ((TernTextMessage) copy).getText());
        checkHeadersAndProperties(copy);
        assertFalse(copy.propertyExists("JMSXDeliveryCount"));
    }
}
