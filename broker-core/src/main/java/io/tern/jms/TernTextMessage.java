package io.tern.jms;

import io.tern.protocol.MessageSnapshot.BodyType;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

/** A message whose body is a String (or null). Not thread-safe, like every message. */
public class TernTextMessage extends TernMessage implements TextMessage {

    private String text;

    public TernTextMessage() {
    }

    public TernTextMessage(String text) {
        this.text = text;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    BodyType bodyType() {
        return BodyType.TEXT;
    }

    @Override
    Object snapshotBody() {
        return text;
    }

    @Override
    void loadSnapshotBody(Object body) {
        text = (String) body;
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    boolean hasBody() {
        return text != null;
    }

    @Override
    Class<?> bodyClass() {
        return String.class;
    }

    @Override
    Object copyOfBody() {
        return text;
    }
}
