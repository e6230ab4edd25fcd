package io.tern.selector;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.DeliveryMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sample messages the selector tests evaluate against. */
final class MessageSelectorSamples {

    /** A persistent message with a property of every type. */
    static final MessageSnapshot A;
    /** A non-persistent message with different values and no JMSType or correlation ID. */
    static final MessageSnapshot B;
    /** A message with no properties and default headers. */
    static final MessageSnapshot C = MessageSnapshot.builder().build();

    static final List<MessageSnapshot> ALL;

    static {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("color", "red");
        a.put("weight", 25);
        a.put("price", 9.99);
        a.put("qty", (short) 3);
        a.put("tiny", (byte) 7);
        a.put("big", 9_000_000_000L);
        a.put("ratio", 0.5f);
        a.put("active", true);
        a.put("region", "eu");
        a.put("name", "Widget_1");
        a.put("label", "50%_off");
        a.put("quote", "it's");
        a.put("numText", "2");
        a.put("empty", "");
        a.put("path", "a\\b");
        a.put("maxLong", Long.MAX_VALUE);
        a.put("nan", Double.NaN);
        a.put("odd", 'x');
        a.put("unicode", "na\u00efve");
        a.put("emoji", "a\uD83D\uDE00b");
        a.put("JMSXDeliveryCount", 2);
        a.put("JMSXGroupID", "g1");
        a.put("JMS_TernFlag", 5);
        a.put("_under", 1);
        a.put("$dollar", 2);
        a.put("\u00fcber", "x");
        A = MessageSnapshot.builder()
                .messageId("ID:1")
                .correlationId("corr-1")
                .type("car")
                .priority(7)
                .timestamp(1000)
                .deliveryMode(DeliveryMode.PERSISTENT)
                .expiration(5000)
                .deliveryTime(1000)
                .properties(a)
                .build();

        Map<String, Object> b = new LinkedHashMap<>();
        b.put("color", "blue");
        b.put("weight", 5L);
        b.put("price", 100);
        b.put("qty", (short) -3);
        b.put("tiny", (byte) -1);
        b.put("big", -1L);
        b.put("ratio", 2.0f);
        b.put("active", false);
        b.put("region", "us");
        b.put("name", "gadget");
        b.put("label", "50 off");
        b.put("quote", "its");
        b.put("numText", "x");
        b.put("JMSXDeliveryCount", 1);
        B = MessageSnapshot.builder()
                .messageId("ID:2")
                .priority(0)
                .timestamp(2_000_000_000_000L)
                .deliveryMode(DeliveryMode.NON_PERSISTENT)
                .properties(b)
                .build();

        ALL = List.of(A, B, C);
    }

    private MessageSelectorSamples() {
    }
}
