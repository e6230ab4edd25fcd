package io.tern.jms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Consumer options written after a destination name, as ActiveMQ users know them:
 * {@code session.createQueue("orders?consumer.exclusive=true&consumer.prefetchSize=10")}. The options
 * apply to consumers created on that destination object; the destination itself is {@code orders}.
 * Immutable.
 *
 * @param name the destination name without options
 * @param options the options, validated
 */
record DestinationOptions(String name, Map<String, String> options) {

    static final String EXCLUSIVE = "consumer.exclusive";
    static final String PREFETCH = "consumer.prefetchSize";

    /**
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it and what it accepts
     */
    static DestinationOptions parse(String text) {
        if (text == null) {
            return new DestinationOptions(null, Map.of());
        }
        int q = text.indexOf('?');
        if (q < 0) {
            return new DestinationOptions(text, Map.of());
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : text.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            switch (key) {
                case EXCLUSIVE -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new IllegalArgumentException("destination option " + key + "='" + value
                                + "' is not a boolean; expected true or false");
                    }
                    options.put(key, v);
                }
                case PREFETCH -> {
                    int n;
                    try {
                        n = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        n = 0;
                    }
                    if (n < 1) {
                        throw new IllegalArgumentException("destination option " + key + "='" + value
                                + "' is not a whole number of at least 1");
                    }
                    options.put(key, value);
                }
                default -> throw new IllegalArgumentException("unknown destination option '" + key + "' in '" + text
                        + "'; known options are " + EXCLUSIVE + " and " + PREFETCH);
            }
        }
        return new DestinationOptions(text.substring(0, q), Collections.unmodifiableMap(options));
    }

    boolean exclusive() {
        return "true".equals(options.get(EXCLUSIVE));
    }

    /** The prefetch for consumers on this destination, or {@code fallback} when not given. */
    int prefetch(int fallback) {
        String v = options.get(PREFETCH);
        return v == null ? fallback : Integer.parseInt(v);
    }
}
