package io.tern.transport.tcp;

import io.tern.protocol.Frame;
import io.tern.transport.UnknownTransactionException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionRolledBackException;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;

/**
 * Carries a JMS exception across the wire: the broker sends the simple name of its {@code jakarta.jms} class
 * (or of Tern's {@link UnknownTransactionException}, which the XA client turns into {@code XAER_NOTA}), its
 * error code and message; the client builds an exception of the same class, so an application catches the
 * exception the spec names whichever transport it uses. Stateless.
 */
final class JmsErrors {

    /** Every {@code jakarta.jms} exception class, by the name that goes on the wire. */
    private static final Map<String, BiFunction<String, String, JMSException>> BY_NAME = Map.ofEntries(
            Map.entry("JMSException", JMSException::new),
            Map.entry("IllegalStateException", IllegalStateException::new),
            Map.entry("InvalidClientIDException", InvalidClientIDException::new),
            Map.entry("InvalidDestinationException", InvalidDestinationException::new),
            Map.entry("InvalidSelectorException", InvalidSelectorException::new),
            Map.entry("JMSSecurityException", JMSSecurityException::new),
            Map.entry("MessageEOFException", MessageEOFException::new),
            Map.entry("MessageFormatException", MessageFormatException::new),
            Map.entry("MessageNotReadableException", MessageNotReadableException::new),
            Map.entry("MessageNotWriteableException", MessageNotWriteableException::new),
            Map.entry("ResourceAllocationException", ResourceAllocationException::new),
            Map.entry("TransactionInProgressException", TransactionInProgressException::new),
            Map.entry("TransactionRolledBackException", TransactionRolledBackException::new),
            Map.entry("UnknownTransactionException", (message, code) -> new UnknownTransactionException(message)));

    private JmsErrors() {
    }

    /**
     * The Error frame for a failure. A subclass of a JMS exception travels as the nearest {@code jakarta.jms}
     * class; anything that is not a JMS exception (a broker bug) as JMSException, its class named in the message.
     */
    static Frame.Error toFrame(long correlationId, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof JMSException j) {
            Class<?> c = j.getClass();
            while (!isWireType(c)) {
                c = c.getSuperclass();
            }
            return new Frame.Error(correlationId, c.getSimpleName(), j.getErrorCode(), describe(j));
        }
        return new Frame.Error(correlationId, "JMSException", null, t.getClass().getName() + ": " + describe(t));
    }

    private static boolean isWireType(Class<?> c) {
        return c == UnknownTransactionException.class
                || c.getPackageName().equals("jakarta.jms") && BY_NAME.containsKey(c.getSimpleName());
    }

    /** The exception an Error frame stands for; an unknown type name becomes a plain JMSException. */
    static JMSException toException(Frame.Error error) {
        String message = error.message() == null ? error.exceptionType() : error.message();
        BiFunction<String, String, JMSException> make = BY_NAME.get(error.exceptionType());
        if (make == null) {
            return new JMSException(error.exceptionType() + ": " + message, error.errorCode());
        }
        return make.apply(message, error.errorCode());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
