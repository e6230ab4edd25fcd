package io.tern.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Conversions between the JMS exception types, as the simplified API and futures need them. */
final class JmsExceptions {

    private JmsExceptions() {
    }

    /** The unchecked counterpart the spec names for each checked JMS exception. */
    static JMSRuntimeException toRuntime(JMSException e) {
        JMSRuntimeException r;
        String m = e.getMessage();
        String code = e.getErrorCode();
        if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(m, code, e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(m, code, e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(m, code, e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(m, code, e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(m, code, e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(m, code, e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(m, code, e);
        } else if (e instanceof ResourceAllocationException) {
            r = new ResourceAllocationRuntimeException(m, code, e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(m, code, e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(m, code, e);
        } else {
            r = new JMSRuntimeException(m, code, e);
        }
        return r;
    }

    /** The JMS exception behind a failed future, or a JMSException wrapping whatever else it was. */
    static JMSException fromFailure(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof JMSException j) {
            return j;
        }
        return wrap(t.getMessage() == null ? t.toString() : t.getMessage(), t);
    }

    static JMSException wrap(String message, Throwable cause) {
        JMSException e = new JMSException(message);
        e.initCause(cause);
        if (cause instanceof Exception ex) {
            e.setLinkedException(ex);
        }
        return e;
    }
}
