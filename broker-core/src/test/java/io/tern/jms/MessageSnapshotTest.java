package io.tern.jms;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageSnapshotTest {

    private static void setHeaders(Message m) throws JMSException {
        m.setJMSMessageID("ID:1");
        m.setJMSTimestamp(1000);
        m.setJMSCorrelationID("corr");
        m.setJMSReplyTo(new TernTopic("replies"));
        m.setJMSDestination(new TernQueue("orders"));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSType("type");
        m.setJMSExpiration(5000);
        m.setJMSDeliveryTime(2000);
        m.setJMSPriority(7);
        m.setJMSRedelivered(true);
    }

    @Test
    void headersGoThroughTheSnapshot() throws JMSException {
        TernMessage m = new TernMessage();
        setHeaders(m);
        MessageSnapshot s = m.toSnapshot("producer-1", 42);
        assertEquals("ID:1", s.messageId());
        assertEquals(1000, s.timestamp());
        assertEquals("corr", s.correlationId());
        assertNull(s.correlationIdBytes());
        assertEquals(Address.topic("replies"), s.replyTo());
        assertEquals(Address.queue("orders"), s.destination());
        assertEquals(DeliveryMode.NON_PERSISTENT, s.deliveryMode());
        assertEquals("type", s.type());
        assertEquals(5000, s.expiration());
        assertEquals(2000, s.deliveryTime());
        assertEquals(7, s.priority());
        assertEquals("producer-1", s.producerId());
        assertEquals(42, s.producerSequence());
        assertEquals(BodyType.MESSAGE, s.bodyType());
        assertNull(s.body());

        Message r = TernMessage.fromSnapshot(s, false, 1);
        assertEquals("ID:1", r.getJMSMessageID());
        assertEquals(1000, r.getJMSTimestamp());
        assertEquals("corr", r.getJMSCorrelationID());
        assertEquals(new TernTopic("replies"), r.getJMSReplyTo());
        assertEquals(new TernQueue("orders"), r.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, r.getJMSDeliveryMode());
        assertEquals("type", r.getJMSType());
        assertEquals(5000, r.getJMSExpiration());
        assertEquals(2000, r.getJMSDeliveryTime());
        assertEquals(7, r.getJMSPriority());
        assertFalse(r.getJMSRedelivered(), "redelivered comes from the delivery, not the sender");
    }

    @Test
    void defaultsOfANewMessage() throws JMSException {
        TernMessage m = new TernMessage();
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, m.getJMSPriority());
        assertNull(m.getJMSDestination());
        assertNull(m.getJMSCorrelationIDAsBytes());
        MessageSnapshot s = m.toSnapshot("p", 1);
        assertNull(s.destination());
        assertNull(s.replyTo());
    }

    @Test
    void correlationIdAsBytesIsKeptExactly() throws JMSException {
        TernMessage m = new TernMessage();
        byte[] id = {(byte) 0xFF, 0, 65};
        m.setJMSCorrelationIDAsBytes(id);
        id[0] = 1;
        assertArrayEquals(new byte[] {(byte) 0xFF, 0, 65}, m.getJMSCorrelationIDAsBytes());
        m.getJMSCorrelationIDAsBytes()[1] = 9;
        Message r = TernMessage.fromSnapshot(m.toSnapshot("p", 1), false, 1);
        assertArrayEquals(new byte[] {(byte) 0xFF, 0, 65}, r.getJMSCorrelationIDAsBytes());
        r.getJMSCorrelationIDAsBytes()[1] = 9;
        assertArrayEquals(new byte[] {(byte) 0xFF, 0, 65}, r.getJMSCorrelationIDAsBytes());

        m.setJMSCorrelationIDAsBytes("abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("abc", m.getJMSCorrelationID());
        m.setJMSCorrelationID("xyz");
        assertArrayEquals("xyz".getBytes(StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
        assertNull(m.toSnapshot("p", 2).correlationIdBytes());
        m.setJMSCorrelationIDAsBytes(null);
        assertNull(m.getJMSCorrelationID());
    }

    @Test
    void foreignAndTemporaryDestinationsBecomeAddresses() throws JMSException {
        TernMessage m = new TernMessage();
        m.setJMSDestination(foreignQueue("elsewhere"));
        m.setJMSReplyTo(new TernTemporaryQueue("tmp-1", null));
        MessageSnapshot s = m.toSnapshot("p", 1);
        assertEquals(Address.queue("elsewhere"), s.destination());
        assertEquals(new Address(Address.Kind.TEMP_QUEUE, "tmp-1"), s.replyTo());
        Message r = TernMessage.fromSnapshot(s, false, 1);
        assertInstanceOf(TemporaryQueue.class, r.getJMSReplyTo());
        assertEquals("tmp-1", ((Queue) r.getJMSReplyTo()).getQueueName());

        m.setJMSDestination(new Destination() { });
        assertThrows(InvalidDestinationException.class, () -> m.toSnapshot("p", 2));
    }

    static Queue foreignQueue(String name) {
        return (Queue) Proxy.newProxyInstance(Queue.class.getClassLoader(), new Class<?>[] {Queue.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getQueueName", "toString" -> name;
                    case "hashCode" -> name.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void textSnapshot() throws JMSException {
        TernTextMessage m = new TernTextMessage("one");
        m.setStringProperty("p", "v1");
        MessageSnapshot s = m.toSnapshot("p", 1);
        m.setText("two");
        m.setStringProperty("p", "v2");
        m.setStringProperty("q", "new");
        assertEquals(BodyType.TEXT, s.bodyType());
        assertEquals("one", s.body());
        assertEquals(Map.of("p", "v1"), s.properties());
        assertEquals("one", ((TextMessage) TernMessage.fromSnapshot(s, false, 1)).getText());
    }

    @Test
    void bytesSnapshotInWriteModeTakesTheBytesWrittenSoFar() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeInt(1);
        MessageSnapshot s = m.toSnapshot("p", 1);
        m.writeInt(2);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, (byte[]) s.body());
        BytesMessage r = (BytesMessage) TernMessage.fromSnapshot(s, false, 1);
        assertEquals(4, r.getBodyLength());
        assertEquals(1, r.readInt());
        m.reset();
        MessageSnapshot afterReset = m.toSnapshot("p", 2);
        m.clearBody();
        m.writeInt(3);
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 2}, (byte[]) afterReset.body());
    }

    @Test
    void mapSnapshotIsNotChangedByLaterWrites() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        byte[] bytes = {1, 2};
        m.setBytes("b", bytes);
        m.setInt("i", 1);
        MessageSnapshot s = m.toSnapshot("p", 1);
        bytes[0] = 9;
        m.setInt("i", 2);
        m.setString("s", "new");
        m.setBytes("b", new byte[] {7});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) s.body();
        assertEquals(2, body.size());
        assertEquals(1, body.get("i"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) body.get("b"));
        assertThrows(UnsupportedOperationException.class, () -> body.put("x", 1));
        MapMessage r = (MapMessage) TernMessage.fromSnapshot(s, false, 1);
        assertEquals(1, r.getInt("i"));
        r.getBytes("b")[0] = 5;
        assertArrayEquals(new byte[] {1, 2}, (byte[]) body.get("b"));
    }

    @Test
    void streamSnapshotIsNotChangedByLaterWrites() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        byte[] bytes = {1, 2};
        m.writeBytes(bytes);
        m.writeInt(1);
        MessageSnapshot s = m.toSnapshot("p", 1);
        bytes[0] = 9;
        m.writeInt(2);
        List<?> body = (List<?>) s.body();
        assertEquals(2, body.size());
        assertArrayEquals(new byte[] {1, 2}, (byte[]) body.get(0));
        StreamMessage r = (StreamMessage) TernMessage.fromSnapshot(s, false, 1);
        byte[] read = (byte[]) r.readObject();
        read[0] = 5;
        assertEquals(1, r.readInt());
        assertArrayEquals(new byte[] {1, 2}, (byte[]) body.get(0));
    }

    @Test
    void objectSnapshotIsNotChangedByLaterChanges() throws JMSException {
        TernObjectMessage m = new TernObjectMessage();
        MessageBodyTest.Box box = new MessageBodyTest.Box(1);
        m.setObject(box);
        MessageSnapshot s = m.toSnapshot("p", 1);
        box.value = 2;
        m.setObject(box);
        ObjectMessage r = (ObjectMessage) TernMessage.fromSnapshot(s, false, 1);
        assertEquals(1, ((MessageBodyTest.Box) r.getObject()).value);
    }

    @Test
    void eachDeliveryIsAnIndependentObject() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        m.writeInt(1);
        m.writeInt(2);
        m.setIntProperty("p", 1);
        MessageSnapshot s = m.toSnapshot("p", 1);
        StreamMessage a = (StreamMessage) TernMessage.fromSnapshot(s, false, 1);
        StreamMessage b = (StreamMessage) TernMessage.fromSnapshot(s, true, 2);
        assertNotSame(a, b);
        assertEquals(1, a.readInt());
        assertEquals(1, b.readInt(), "read positions are per object");
        a.clearBody();
        a.writeInt(99);
        a.clearProperties();
        a.setIntProperty("p", 5);
        assertEquals(2, b.readInt());
        assertEquals(1, b.getIntProperty("p"));
        assertEquals(List.of(1, 2), s.body());
        assertEquals(Map.of("p", 1), s.properties());
    }

    @Test
    void snapshotOfAReceivedMessageSharesItsImmutableData() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        m.setInt("a", 1);
        m.setIntProperty("p", 2);
        MessageSnapshot s = m.toSnapshot("p", 1);
        TernMessage r = TernMessage.fromSnapshot(s, false, 3);
        MessageSnapshot again = r.toSnapshot("p2", 1);
        assertSame(s.body(), again.body());
        assertEquals(s.properties(), again.properties());
        assertFalse(again.properties().containsKey("JMSXDeliveryCount"));
    }

    @Test
    void fromSnapshotMakesTheRightType() {
        for (BodyType type : BodyType.values()) {
            Message m = TernMessage.fromSnapshot(MessageSnapshot.builder().body(type, null).build(), false, 1);
            Class<?> expected = switch (type) {
                case MESSAGE -> TernMessage.class;
                case TEXT -> TernTextMessage.class;
                case BYTES -> TernBytesMessage.class;
                case MAP -> TernMapMessage.class;
                case STREAM -> TernStreamMessage.class;
                case OBJECT -> TernObjectMessage.class;
            };
            assertEquals(expected, m.getClass());
        }
    }

    @Test
    void receivedEmptyBodiesAreEmpty() throws JMSException {
        BytesMessage bytes = (BytesMessage) TernMessage.fromSnapshot(
                MessageSnapshot.builder().body(BodyType.BYTES, null).build(), false, 1);
        assertEquals(0, bytes.getBodyLength());
        assertEquals(-1, bytes.readBytes(new byte[1]));
        MapMessage map = (MapMessage) TernMessage.fromSnapshot(
                MessageSnapshot.builder().body(BodyType.MAP, null).build(), false, 1);
        assertFalse(map.getMapNames().hasMoreElements());
        StreamMessage stream = (StreamMessage) TernMessage.fromSnapshot(
                MessageSnapshot.builder().body(BodyType.STREAM, null).build(), false, 1);
        assertThrows(jakarta.jms.MessageEOFException.class, stream::readObject);
        assertTrue(Collections.list(map.getPropertyNames()).contains("JMSXDeliveryCount"));
    }
}
