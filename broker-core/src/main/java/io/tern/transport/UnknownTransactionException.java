package io.tern.transport;

import jakarta.jms.JMSException;

/**
 * The broker holds no prepared transaction with the given global ID (already resolved, or never
 * prepared). An XA resource reports it as {@code XAER_NOTA}.
 */
public class UnknownTransactionException extends JMSException {

    private static final long serialVersionUID = 1L;

    public UnknownTransactionException(String message) {
        super(message);
    }
}
