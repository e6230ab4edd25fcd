package io.tern.benchmarks.scenario;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/** The body every scenario sends: a bytes message of a fixed size, built anew for each send. */
final class Payload {

    private final byte[] body;

    Payload(int size) {
        body = new byte[size];
        for (int i = 0; i < size; i++) {
            // Not all zeros, so a broker that compresses gains nothing it would not gain in real use.
            body[i] = (byte) (i * 31 + 7);
        }
    }

    BytesMessage newMessage(Session session) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(body);
        return message;
    }
}
