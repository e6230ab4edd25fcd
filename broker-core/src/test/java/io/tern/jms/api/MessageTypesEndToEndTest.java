package io.tern.jms.api;

import io.tern.broker.Broker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tern.jms.TestTransport.connectionFactory;
import static io.tern.jms.api.ApiTestSupport.receiveExpected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every message type through the broker (Jakarta Messaging 3.1, 3): bodies, properties, read-only rules. */
class MessageTypesEndToEndTest {

    private final ApiTestSupport.Resources resources = new ApiTestSupport.Resources();
    private Broker broker;
    private Session session;
    private MessageProducer producer;
    private MessageConsumer consumer;
    private Queue queue;

    /** A serializable body with state of its own. */
    record Order(String id, int quantity, List<String> lines) implements Serializable {
    }

    @BeforeEach
    void start() throws JMSException {
        broker = resources.add(ApiTestSupport.startBroker("types"));
        Connection c = resources.started(connectionFactory(broker).createConnection());
        session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queue = session.createQueue("types");
        producer = session.createProducer(queue);
        consumer = session.createConsumer(queue);
    }

    @AfterEach
    void closeAll() {
        resources.close();
    }

    private Message roundTrip(Message m) throws JMSException {
        producer.send(m);
        return receiveExpected(consumer);
    }

    private static void setAllProperties(Message m) throws JMSException {
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) -7);
        m.setShortProperty("short", (short) 300);
        m.setIntProperty("int", 70_000);
        m.setLongProperty("long", 1L << 40);
        m.setFloatProperty("float", 1.5f);
        m.setDoubleProperty("double", Math.PI);
        m.setStringProperty("string", "värde ✓");
        m.setObjectProperty("object", 42L);
        m.setJMSType("type-x");
        m.setJMSCorrelationID("corr-x");
    }

    private static void assertAllProperties(Message m) throws JMSException {
        assertTrue(m.getBooleanProperty("bool"));
        assertEquals((byte) -7, m.getByteProperty("byte"));
        assertEquals((short) 300, m.getShortProperty("short"));
        assertEquals(70_000, m.getIntProperty("int"));
        assertEquals(1L << 40, m.getLongProperty("long"));
        assertEquals(1.5f, m.getFloatProperty("float"));
        assertEquals(Math.PI, m.getDoubleProperty("double"));
        assertEquals("värde ✓", m.getStringProperty("string"));
        assertEquals(42L, m.getObjectProperty("object"));
        assertEquals("70000", m.getStringProperty("int"), "conversions still apply after the trip");
        assertEquals("type-x", m.getJMSType());
        assertEquals("corr-x", m.getJMSCorrelationID());
        Set<String> names = new HashSet<>();
        for (Object n : Collections.list(m.getPropertyNames())) {
            names.add((String) n);
        }
        assertTrue(names.containsAll(Set.of("bool", "byte", "short", "int", "long", "float", "double", "string",
                "object")), names.toString());
    }

    @Test
    void textMessage() throws Exception {
        TextMessage m = session.createTextMessage("hello, wörld ✓ " + "x".repeat(10_000));
        setAllProperties(m);
        TextMessage got = assertInstanceOf(TextMessage.class, roundTrip(m));
        assertEquals(m.getText(), got.getText());
        assertAllProperties(got);
        assertNotSame(m, got);

        TextMessage empty = assertInstanceOf(TextMessage.class, roundTrip(session.createTextMessage()));
        assertNull(empty.getText());
        TextMessage blank = assertInstanceOf(TextMessage.class, roundTrip(session.createTextMessage("")));
        assertEquals("", blank.getText());
    }

    @Test
    void bytesMessage() throws Exception {
        BytesMessage m = session.createBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) 1);
        m.writeShort((short) -2);
        m.writeChar('c');
        m.writeInt(3);
        m.writeLong(4L);
        m.writeFloat(5.5f);
        m.writeDouble(6.25);
        m.writeUTF("utf ✓");
        m.writeBytes(new byte[] {9, 8, 7});
        m.writeObject(Integer.valueOf(11));
        setAllProperties(m);
        BytesMessage got = assertInstanceOf(BytesMessage.class, roundTrip(m));
        assertAllProperties(got);
        assertTrue(got.getBodyLength() > 0);
        assertTrue(got.readBoolean());
        assertEquals(1, got.readByte());
        assertEquals(-2, got.readShort());
        assertEquals('c', got.readChar());
        assertEquals(3, got.readInt());
        assertEquals(4L, got.readLong());
        assertEquals(5.5f, got.readFloat());
        assertEquals(6.25, got.readDouble());
        assertEquals("utf ✓", got.readUTF());
        byte[] three = new byte[3];
        assertEquals(3, got.readBytes(three));
        assertArrayEquals(new byte[] {9, 8, 7}, three);
        assertEquals(11, got.readInt());
        assertEquals(-1, got.readBytes(new byte[1]), "end of body");
    }

    @Test
    void mapMessage() throws Exception {
        MapMessage m = session.createMapMessage();
        m.setBoolean("bool", true);
        m.setByte("byte", (byte) 1);
        m.setShort("short", (short) 2);
        m.setChar("char", 'z');
        m.setInt("int", 3);
        m.setLong("long", 4L);
        m.setFloat("float", 5f);
        m.setDouble("double", 6d);
        m.setString("string", "s");
        m.setBytes("bytes", new byte[] {1, 2});
        m.setObject("object", "o");
        m.setString("null", null);
        setAllProperties(m);
        MapMessage got = assertInstanceOf(MapMessage.class, roundTrip(m));
        assertAllProperties(got);
        assertTrue(got.getBoolean("bool"));
        assertEquals(1, got.getByte("byte"));
        assertEquals(2, got.getShort("short"));
        assertEquals('z', got.getChar("char"));
        assertEquals(3, got.getInt("int"));
        assertEquals(4L, got.getLong("long"));
        assertEquals(5f, got.getFloat("float"));
        assertEquals(6d, got.getDouble("double"));
        assertEquals("s", got.getString("string"));
        assertArrayEquals(new byte[] {1, 2}, got.getBytes("bytes"));
        assertEquals("o", got.getObject("object"));
        assertTrue(got.itemExists("null"));
        assertNull(got.getString("null"));
        assertFalse(got.itemExists("missing"));
        Set<String> names = new HashSet<>();
        for (Object n : Collections.list(got.getMapNames())) {
            names.add((String) n);
        }
        assertEquals(Set.of("bool", "byte", "short", "char", "int", "long", "float", "double", "string", "bytes",
                "object", "null"), names);
    }

    @Test
    void streamMessage() throws Exception {
        StreamMessage m = session.createStreamMessage();
        m.writeBoolean(false);
        m.writeByte((byte) 1);
        m.writeShort((short) 2);
        m.writeChar('q');
        m.writeInt(3);
        m.writeLong(4L);
        m.writeFloat(5f);
        m.writeDouble(6d);
        m.writeString("seven");
        m.writeBytes(new byte[] {8, 9});
        m.writeObject(10);
        m.writeString(null);
        setAllProperties(m);
        StreamMessage got = assertInstanceOf(StreamMessage.class, roundTrip(m));
        assertAllProperties(got);
        assertFalse(got.readBoolean());
        assertEquals(1, got.readByte());
        assertEquals(2, got.readShort());
        assertEquals('q', got.readChar());
        assertEquals(3, got.readInt());
        assertEquals(4L, got.readLong());
        assertEquals(5f, got.readFloat());
        assertEquals(6d, got.readDouble());
        assertEquals("seven", got.readString());
        byte[] two = new byte[2];
        assertEquals(2, got.readBytes(two));
        assertArrayEquals(new byte[] {8, 9}, two);
        assertEquals(-1, got.readBytes(two));
        assertEquals(10, got.readObject());
        assertNull(got.readString());
        assertThrows(jakarta.jms.MessageEOFException.class, got::readObject);
    }

    @Test
    void objectMessage() throws Exception {
        List<String> lines = new ArrayList<>(List.of("a", "b"));
        Order order = new Order("o-1", 3, lines);
        ObjectMessage m = session.createObjectMessage(order);
        setAllProperties(m);
        ObjectMessage got = assertInstanceOf(ObjectMessage.class, roundTrip(m));
        assertAllProperties(got);
        assertEquals(order, got.getObject());
        assertNotSame(order, got.getObject());

        // The object is serialized when set: a later change of it is not sent.
        ObjectMessage later = session.createObjectMessage((ArrayList<String>) lines);
        lines.add("c");
        ObjectMessage got2 = assertInstanceOf(ObjectMessage.class, roundTrip(later));
        assertEquals(List.of("a", "b"), got2.getObject());

        ObjectMessage none = assertInstanceOf(ObjectMessage.class, roundTrip(session.createObjectMessage()));
        assertNull(none.getObject());
    }

    @Test
    void plainMessage() throws Exception {
        Message m = session.createMessage();
        setAllProperties(m);
        Message got = roundTrip(m);
        assertFalse(got instanceof TextMessage || got instanceof BytesMessage || got instanceof MapMessage
                || got instanceof StreamMessage || got instanceof ObjectMessage, got.getClass().getName());
        assertAllProperties(got);
        assertNull(got.getBody(Object.class));
        assertTrue(got.isBodyAssignableTo(String.class));
    }

    @Test
    void groupPropertiesSurviveTheTrip() throws Exception {
        Message m = session.createMessage();
        m.setStringProperty("JMSXGroupID", "group-1");
        m.setIntProperty("JMSXGroupSeq", 3);
        Message got = roundTrip(m);
        assertEquals("group-1", got.getStringProperty("JMSXGroupID"));
        assertEquals(3, got.getIntProperty("JMSXGroupSeq"));
    }

    // ------------------------------------------------------------------ read-only rules

    @Test
    void receivedBodiesAndPropertiesAreReadOnly() throws Exception {
        TextMessage text = (TextMessage) roundTrip(session.createTextMessage("t"));
        assertThrows(MessageNotWriteableException.class, () -> text.setText("changed"));
        assertThrows(MessageNotWriteableException.class, () -> text.setStringProperty("p", "v"));
        assertThrows(MessageNotWriteableException.class, () -> text.setIntProperty("p", 1));
        assertThrows(MessageNotWriteableException.class, () -> text.setObjectProperty("p", 1));

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeInt(1);
        BytesMessage gotBytes = (BytesMessage) roundTrip(bytes);
        assertThrows(MessageNotWriteableException.class, () -> gotBytes.writeInt(2));

        MapMessage map = session.createMapMessage();
        map.setInt("a", 1);
        MapMessage gotMap = (MapMessage) roundTrip(map);
        assertThrows(MessageNotWriteableException.class, () -> gotMap.setInt("b", 2));

        StreamMessage stream = session.createStreamMessage();
        stream.writeInt(1);
        StreamMessage gotStream = (StreamMessage) roundTrip(stream);
        assertThrows(MessageNotWriteableException.class, () -> gotStream.writeInt(2));

        ObjectMessage gotObject = (ObjectMessage) roundTrip(session.createObjectMessage("x"));
        assertThrows(MessageNotWriteableException.class, () -> gotObject.setObject("y"));

        // Headers are not read-only.
        text.setJMSType("changed-type");
        assertEquals("changed-type", text.getJMSType());
    }

    @Test
    void clearBodyAndClearPropertiesMakeAReceivedMessageWritable() throws Exception {
        TextMessage m = session.createTextMessage("original");
        m.setStringProperty("p", "v");
        TextMessage got = (TextMessage) roundTrip(m);
        got.clearBody();
        assertNull(got.getText());
        got.setText("rewritten");
        assertEquals("rewritten", got.getText());
        assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("q", "w"),
                "clearBody does not make properties writable");
        assertEquals("v", got.getStringProperty("p"));
        got.clearProperties();
        assertNull(got.getStringProperty("p"));
        got.setStringProperty("q", "w");
        assertEquals("w", got.getStringProperty("q"));

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeInt(5);
        BytesMessage gotBytes = (BytesMessage) roundTrip(bytes);
        gotBytes.clearBody();
        gotBytes.writeInt(6);
        gotBytes.reset();
        assertEquals(6, gotBytes.readInt());

        // A rewritten received message can be sent on.
        producer.send(got);
        TextMessage forwarded = (TextMessage) receiveExpected(consumer);
        assertEquals("rewritten", forwarded.getText());
        assertEquals("w", forwarded.getStringProperty("q"));
    }

    @Test
    void aReceivedMessageCanBeForwardedAsItIs() throws Exception {
        MapMessage m = session.createMapMessage();
        m.setString("k", "v");
        m.setIntProperty("n", 7);
        Message got = roundTrip(m);
        Queue other = session.createQueue("types-forwarded");
        session.createProducer(other).send(got);
        MessageConsumer c = session.createConsumer(other);
        MapMessage forwarded = assertInstanceOf(MapMessage.class, receiveExpected(c));
        assertEquals("v", forwarded.getString("k"));
        assertEquals(7, forwarded.getIntProperty("n"));
        assertEquals(other, forwarded.getJMSDestination());
        assertFalse(forwarded.getJMSRedelivered());
        assertEquals(1, forwarded.getIntProperty("JMSXDeliveryCount"), "a forwarded message is a new delivery");
    }

    @Test
    void jmsxDeliveryCountIsSetByTheProviderOnly() throws Exception {
        Message m = session.createMessage();
        Message got = roundTrip(m);
        assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
        assertThrows(MessageNotWriteableException.class, () -> got.setIntProperty("JMSXDeliveryCount", 5));
    }

    // ------------------------------------------------------------------ getBody and isBodyAssignableTo

    @Test
    void getBodyAndIsBodyAssignableToOnReceivedMessages() throws Exception {
        TextMessage text = (TextMessage) roundTrip(session.createTextMessage("t"));
        assertEquals("t", text.getBody(String.class));
        assertEquals("t", text.getBody(Object.class));
        assertTrue(text.isBodyAssignableTo(String.class));
        assertTrue(text.isBodyAssignableTo(CharSequence.class));
        assertFalse(text.isBodyAssignableTo(Integer.class));
        assertThrows(MessageFormatException.class, () -> text.getBody(Integer.class));

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[] {1, 2, 3});
        BytesMessage gotBytes = (BytesMessage) roundTrip(bytes);
        assertArrayEquals(new byte[] {1, 2, 3}, gotBytes.getBody(byte[].class));
        assertTrue(gotBytes.isBodyAssignableTo(byte[].class));
        assertFalse(gotBytes.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> gotBytes.getBody(String.class));
        assertEquals(1, gotBytes.readByte(), "getBody does not move the read position");

        MapMessage map = session.createMapMessage();
        map.setInt("a", 1);
        MapMessage gotMap = (MapMessage) roundTrip(map);
        assertEquals(Map.of("a", 1), gotMap.getBody(Map.class));
        assertTrue(gotMap.isBodyAssignableTo(Map.class));
        assertFalse(gotMap.isBodyAssignableTo(List.class));

        ObjectMessage gotObject = (ObjectMessage) roundTrip(session.createObjectMessage(new Order("x", 1, List.of())));
        assertEquals(new Order("x", 1, List.of()), gotObject.getBody(Order.class));
        assertTrue(gotObject.isBodyAssignableTo(Serializable.class));
        assertTrue(gotObject.isBodyAssignableTo(Order.class));
        assertFalse(gotObject.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> gotObject.getBody(String.class));

        StreamMessage stream = session.createStreamMessage();
        stream.writeInt(1);
        StreamMessage gotStream = (StreamMessage) roundTrip(stream);
        assertFalse(gotStream.isBodyAssignableTo(Object.class), "a StreamMessage body is never assignable");
        assertThrows(MessageFormatException.class, () -> gotStream.getBody(Object.class));

        TextMessage noBody = (TextMessage) roundTrip(session.createTextMessage());
        assertNull(noBody.getBody(String.class));
        assertTrue(noBody.isBodyAssignableTo(Integer.class), "no body: any type");
    }

    // ------------------------------------------------------------------ correlation ID as bytes

    @Test
    void correlationIdAsBytesSurvivesTheTrip() throws Exception {
        Message m = session.createMessage();
        byte[] id = {0, 1, 2, (byte) 0xff, 42};
        m.setJMSCorrelationIDAsBytes(id);
        Message got = roundTrip(m);
        assertArrayEquals(id, got.getJMSCorrelationIDAsBytes());

        Message s = session.createMessage();
        s.setJMSCorrelationID("text-id");
        assertEquals("text-id", roundTrip(s).getJMSCorrelationID());
    }

    @ParameterizedTest
    @ValueSource(ints = {DeliveryMode.PERSISTENT, DeliveryMode.NON_PERSISTENT})
    void largeBodiesSurviveInBothDeliveryModes(int mode) throws Exception {
        BytesMessage m = session.createBytesMessage();
        byte[] big = new byte[512 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        m.writeBytes(big);
        producer.send(m, mode, 4, 0);
        BytesMessage got = (BytesMessage) receiveExpected(consumer);
        assertEquals(mode, got.getJMSDeliveryMode());
        assertArrayEquals(big, got.getBody(byte[].class));
    }
}
