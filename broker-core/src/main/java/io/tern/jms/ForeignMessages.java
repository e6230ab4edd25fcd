package io.tern.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.io.ByteArrayOutputStream;
import java.util.Enumeration;

/**
 * Copies a message of another provider into a Tern message, through the public API only, since the
 * spec requires {@code send} to accept any provider's message. Stateless, so thread-safe; the foreign
 * message itself is read by the calling thread only.
 */
final class ForeignMessages {

    private ForeignMessages() {
    }

    static TernMessage copyOf(Message foreign) throws JMSException {
        if (foreign instanceof TernMessage tern) {
            return copyOfTern(tern);
        }
        TernMessage copy;
        if (foreign instanceof TextMessage text) {
            copy = new TernTextMessage(text.getText());
        } else if (foreign instanceof BytesMessage bytes) {
            TernBytesMessage b = new TernBytesMessage();
            b.writeBytes(bodyOf(bytes));
            copy = b;
        } else if (foreign instanceof MapMessage map) {
            copy = copyOfMap(map);
        } else if (foreign instanceof StreamMessage stream) {
            copy = copyOfStream(stream);
        } else if (foreign instanceof ObjectMessage object) {
            TernObjectMessage o = new TernObjectMessage();
            o.setObject(object.getObject());
            copy = o;
        } else {
            copy = new TernMessage();
        }
        copyHeaders(foreign, copy);
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            copy.setObjectProperty(name, foreign.getObjectProperty(name));
        }
        return copy;
    }

    /** Our own message goes through a snapshot: the same deep copy a send takes. */
    private static TernMessage copyOfTern(TernMessage tern) throws JMSException {
        Integer deliveryCount = (Integer) tern.getObjectProperty(MessageProperties.DELIVERY_COUNT);
        TernMessage copy = TernMessage.fromSnapshot(tern.toSnapshot(null, 0), tern.getJMSRedelivered(),
                deliveryCount == null ? 0 : deliveryCount);
        copy.setJMSDestination(tern.getJMSDestination());
        copy.setJMSReplyTo(tern.getJMSReplyTo());
        return copy;
    }

    private static void copyHeaders(Message from, TernMessage to) throws JMSException {
        to.setJMSMessageID(from.getJMSMessageID());
        to.setJMSTimestamp(from.getJMSTimestamp());
        String correlationId = from.getJMSCorrelationID();
        if (correlationId != null) {
            to.setJMSCorrelationID(correlationId);
        } else {
            to.setJMSCorrelationIDAsBytes(correlationIdBytesOf(from));
        }
        to.setJMSReplyTo(from.getJMSReplyTo());
        to.setJMSDestination(from.getJMSDestination());
        to.setJMSDeliveryMode(from.getJMSDeliveryMode());
        to.setJMSRedelivered(from.getJMSRedelivered());
        to.setJMSType(from.getJMSType());
        to.setJMSExpiration(from.getJMSExpiration());
        to.setJMSDeliveryTime(from.getJMSDeliveryTime());
        to.setJMSPriority(from.getJMSPriority());
    }

    /** Providers may refuse byte correlation IDs (the spec makes them optional): then there is none. */
    private static byte[] correlationIdBytesOf(Message from) {
        try {
            return from.getJMSCorrelationIDAsBytes();
        } catch (JMSException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** getBody leaves the foreign message as it was; a provider that refuses it is read after a reset. */
    private static byte[] bodyOf(BytesMessage bytes) throws JMSException {
        try {
            byte[] body = bytes.getBody(byte[].class);
            return body == null ? new byte[0] : body;
        } catch (JMSException e) {
            bytes.reset();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = bytes.readBytes(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            bytes.reset();
            return out.toByteArray();
        }
    }

    private static TernMapMessage copyOfMap(MapMessage map) throws JMSException {
        TernMapMessage copy = new TernMapMessage();
        for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            copy.setObject(name, map.getObject(name));
        }
        return copy;
    }

    /** A StreamMessage has no other way to be read than from its start: it is left reset. */
    private static TernStreamMessage copyOfStream(StreamMessage stream) throws JMSException {
        TernStreamMessage copy = new TernStreamMessage();
        stream.reset();
        while (true) {
            Object field;
            try {
                field = stream.readObject();
            } catch (MessageEOFException end) {
                break;
            }
            copy.writeObject(field);
        }
        stream.reset();
        return copy;
    }
}
