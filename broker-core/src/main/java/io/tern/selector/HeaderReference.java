package io.tern.selector;

import jakarta.jms.DeliveryMode;

/**
 * A JMS header field. The spec allows six of them in selectors; the other headers (destination,
 * reply-to, expiration, redelivered, delivery time) are excluded by the spec, so a reference to one of
 * them is accepted but is always NULL, which makes every comparison with it unknown.
 *
 * <p>Immutable and thread-safe.
 */
final class HeaderReference extends Identifier {

    /** The header fields a selector can name, with the type each has in selectors. */
    enum Header {
        DELIVERY_MODE("JMSDeliveryMode", ExpressionType.STRING),
        PRIORITY("JMSPriority", ExpressionType.NUMBER),
        MESSAGE_ID("JMSMessageID", ExpressionType.STRING),
        TIMESTAMP("JMSTimestamp", ExpressionType.NUMBER),
        CORRELATION_ID("JMSCorrelationID", ExpressionType.STRING),
        TYPE("JMSType", ExpressionType.STRING),
        DESTINATION("JMSDestination", ExpressionType.ANY),
        REPLY_TO("JMSReplyTo", ExpressionType.ANY),
        EXPIRATION("JMSExpiration", ExpressionType.ANY),
        REDELIVERED("JMSRedelivered", ExpressionType.ANY),
        DELIVERY_TIME("JMSDeliveryTime", ExpressionType.ANY);

        private final String fieldName;
        private final ExpressionType type;

        Header(String fieldName, ExpressionType type) {
            this.fieldName = fieldName;
            this.type = type;
        }

        /** The header of that exact (case-sensitive) name, or null if the name is not a header. */
        static Header byName(String name) {
            for (Header h : values()) {
                if (h.fieldName.equals(name)) {
                    return h;
                }
            }
            return null;
        }
    }

    // Selectors see the delivery mode as one of these two strings (spec 3.8.1.1).
    private static final String PERSISTENT = "PERSISTENT";
    private static final String NON_PERSISTENT = "NON_PERSISTENT";

    private final Header header;

    HeaderReference(Header header) {
        this.header = header;
    }

    @Override
    String name() {
        return header.fieldName;
    }

    @Override
    ExpressionType type() {
        return header.type;
    }

    @Override
    ValueKind evaluate(Evaluation evaluation) {
        SelectorContext message = evaluation.context;
        switch (header) {
            case DELIVERY_MODE:
                return evaluation.loadString(deliveryModeName(message.deliveryMode()));
            case PRIORITY:
                evaluation.longValue = message.priority();
                return ValueKind.LONG;
            case MESSAGE_ID:
                return evaluation.loadString(message.messageId());
            case TIMESTAMP:
                evaluation.longValue = message.timestamp();
                return ValueKind.LONG;
            case CORRELATION_ID:
                return evaluation.loadString(message.correlationId());
            case TYPE:
                return evaluation.loadString(message.type());
            default:
                return ValueKind.NULL;
        }
    }

    private static String deliveryModeName(int mode) {
        if (mode == DeliveryMode.PERSISTENT) {
            return PERSISTENT;
        }
        if (mode == DeliveryMode.NON_PERSISTENT) {
            return NON_PERSISTENT;
        }
        return null;
    }
}
