package io.tern.transport;

import jakarta.jms.JMSException;

/**
 * An acknowledgement whose outcome the client does not know: the connection dropped after it was sent and
 * before the broker confirmed it. Each message it named was either consumed or comes again flagged
 * redelivered; nobody can tell which until then.
 */
public class AcknowledgeOutcomeUnknownException extends JMSException {

    private static final long serialVersionUID = 1L;

    public AcknowledgeOutcomeUnknownException(String reason) {
        super(reason);
    }
}
