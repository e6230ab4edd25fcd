package io.tern.jms;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageBodyTest {

    /** A mutable serializable object, to see that the message keeps the state at setObject time. */
    static final class Box implements Serializable {
        private static final long serialVersionUID = 1L;
        int value;
        List<String> items = new ArrayList<>();

        Box(int value) {
            this.value = value;
        }
    }

    /** Serializable by its type, not by its content. */
    static final class Unserializable implements Serializable {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object thread = new Object();
    }

    @Test
    void plainMessageHasNoBody() throws JMSException {
        Message m = new TernMessage();
        assertNull(m.getBody(String.class));
        assertNull(m.getBody(Map.class));
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.clearBody();
        assertNull(m.getBody(Object.class));
    }

    @Test
    void textBody() throws JMSException {
        TextMessage m = new TernTextMessage();
        assertNull(m.getText());
        assertNull(m.getBody(Integer.class));
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.setText("hello");
        assertEquals("hello", m.getText());
        assertEquals("hello", m.getBody(String.class));
        assertEquals("hello", m.getBody(CharSequence.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(Integer.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(Integer.class));
        m.clearBody();
        assertNull(m.getText());
    }

    @Test
    void receivedTextIsReadOnlyUntilCleared() throws JMSException {
        TextMessage m = (TextMessage) MessagePropertiesTest.received(new TernTextMessage("hi"));
        assertEquals("hi", m.getText());
        assertThrows(MessageNotWriteableException.class, () -> m.setText("changed"));
        assertEquals("hi", m.getText());
        m.clearBody();
        assertNull(m.getText());
        m.setText("new");
        assertEquals("new", m.getText());
    }

    @Test
    void objectBodyIsCopiedWhenSetAndDeserializedFreshEachTime() throws JMSException {
        ObjectMessage m = new TernObjectMessage();
        Box box = new Box(1);
        box.items.add("a");
        m.setObject(box);
        box.value = 2;
        box.items.add("b");
        Box first = (Box) m.getObject();
        assertEquals(1, first.value);
        assertEquals(List.of("a"), first.items);
        first.value = 3;
        Box second = (Box) m.getObject();
        assertNotSame(first, second);
        assertEquals(1, second.value);
    }

    @Test
    void objectGetBodyAndAssignability() throws JMSException {
        ObjectMessage m = new TernObjectMessage();
        assertNull(m.getObject());
        assertNull(m.getBody(String.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        m.setObject(new Box(5));
        assertEquals(5, m.getBody(Box.class).value);
        assertEquals(5, ((Box) m.getBody(Serializable.class)).value);
        assertTrue(m.isBodyAssignableTo(Serializable.class));
        assertTrue(m.isBodyAssignableTo(Box.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        m.setObject("text");
        assertEquals("text", m.getBody(String.class));
        m.setObject(null);
        assertNull(m.getObject());
    }

    @Test
    void unserializableObjectIsAFormatError() throws JMSException {
        ObjectMessage m = new TernObjectMessage();
        m.setObject("before");
        assertThrows(MessageFormatException.class, () -> m.setObject(new Unserializable()));
        assertEquals("before", m.getObject());
    }

    @Test
    void undeserializableObjectIsAFormatError() throws JMSException {
        MessageSnapshot s = MessageSnapshot.builder()
                .body(MessageSnapshot.BodyType.OBJECT, new byte[] {1, 2, 3}).build();
        ObjectMessage m = (ObjectMessage) TernMessage.fromSnapshot(s, false, 1);
        assertThrows(MessageFormatException.class, m::getObject);
        assertThrows(MessageFormatException.class, () -> m.getBody(Serializable.class));
        assertFalse(m.isBodyAssignableTo(Serializable.class));
    }

    @Test
    void receivedObjectIsReadOnlyUntilCleared() throws JMSException {
        TernObjectMessage sent = new TernObjectMessage();
        sent.setObject(new Box(7));
        ObjectMessage m = (ObjectMessage) MessagePropertiesTest.received(sent);
        assertThrows(MessageNotWriteableException.class, () -> m.setObject(new Box(8)));
        assertEquals(7, ((Box) m.getObject()).value);
        m.clearBody();
        assertNull(m.getObject());
        m.setObject(new Box(9));
        assertEquals(9, ((Box) m.getObject()).value);
    }

    @Test
    void mapBodyAssignability() throws JMSException {
        MapMessage m = new TernMapMessage();
        assertNull(m.getBody(String.class), "an empty map is no body");
        assertTrue(m.isBodyAssignableTo(String.class));
        m.setInt("a", 1);
        assertTrue(m.isBodyAssignableTo(Map.class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrows(MessageFormatException.class, () -> m.getBody(String.class));
        assertEquals(Map.of("a", 1), m.getBody(Map.class));
        m.clearBody();
        assertNull(m.getBody(Map.class));
    }

    @Test
    void clearBodyDoesNotTouchPropertiesOrHeaders() throws JMSException {
        TernTextMessage m = new TernTextMessage("x");
        m.setJMSType("t");
        m.setIntProperty("p", 1);
        m.clearBody();
        assertEquals("t", m.getJMSType());
        assertEquals(1, m.getIntProperty("p"));
    }

    @Test
    void acknowledgeCallsTheAcknowledgerAndDoesNothingWithoutOne() throws JMSException {
        TernMessage m = new TernTextMessage("x");
        m.acknowledge();
        int[] calls = {0};
        m.setAcknowledger(() -> calls[0]++);
        m.acknowledge();
        m.acknowledge();
        assertEquals(2, calls[0]);
        m.setAcknowledger(() -> {
            throw new jakarta.jms.IllegalStateException("session closed");
        });
        assertThrows(jakarta.jms.IllegalStateException.class, m::acknowledge);
    }
}
