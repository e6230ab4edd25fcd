package io.tern.transport;

import jakarta.jms.JMSException;

/**
 * A commit whose outcome the client does not know: the connection dropped before the broker's reply came, and
 * no broker could be asked in time whether it committed. It may have committed or not; the client never
 * guesses. Deliberately not a {@code TransactionRolledBackException}.
 */
public class TransactionOutcomeUnknownException extends JMSException {

    private static final long serialVersionUID = 1L;

    public TransactionOutcomeUnknownException(String reason) {
        super(reason);
    }
}
