package io.tern.transport.failover;

import io.tern.transport.TransportUri;
import jakarta.jms.JMSException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code failover:(uri,uri,...)?options} URL, parsed and checked: the brokers to try, in the order given, and
 * the failover options (ActiveMQ's names and defaults). Each inner URI keeps its own options (a tcp URI's
 * {@code connectTimeout}, say); the connection factory's {@code jms.*} options go after the parenthesis and are
 * handed back untouched in {@link #clientOptions()}. Immutable.
 *
 * @param text the URL as given
 * @param uris the brokers, in the order given
 * @param randomize pick the brokers in a random order on each pass (default true)
 * @param initialReconnectDelayMillis the wait before the second pass over the brokers (default 10)
 * @param maxReconnectDelayMillis the longest wait between passes (default 30000)
 * @param useExponentialBackOff multiply the wait by {@code backOffMultiplier} after each failed pass (default true)
 * @param backOffMultiplier at least 1 (default 2)
 * @param maxReconnectAttempts passes after the first that fail before the connection gives up; -1 for ever
 * @param startupMaxReconnectAttempts the same for the first connection; -1 means use maxReconnectAttempts
 * @param timeoutMillis how long a call waits while disconnected before it fails; -1 for ever
 * @param clientOptions the {@code jms.*} options, for the connection factory
 */
public record FailoverUri(String text, List<TransportUri> uris, boolean randomize, long initialReconnectDelayMillis,
                          long maxReconnectDelayMillis, boolean useExponentialBackOff, double backOffMultiplier,
                          int maxReconnectAttempts, int startupMaxReconnectAttempts, long timeoutMillis,
                          Map<String, String> clientOptions) {

    public static final String SCHEME = "failover";

    /** Whether a broker URL is a failover URL (so {@link #parse} applies rather than {@link TransportUri#parse}). */
    public static boolean isFailover(String text) {
        return text != null && text.trim().regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1);
    }

    /**
     * @throws JMSException naming what is wrong: the shape of the URL, an inner URI, or an option and the
     *     values it allows
     */
    public static FailoverUri parse(String text) throws JMSException {
        if (!isFailover(text)) {
            throw new JMSException("broker URL '" + text + "' is not a failover URL; expected"
                    + " failover:(tcp://host1:61616,tcp://host2:61616)?options");
        }
        String rest = text.trim().substring(SCHEME.length() + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        String list;
        String query;
        if (rest.startsWith("(")) {
            int close = matchingParenthesis(text, rest);
            list = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith("?")) {
                throw new JMSException("broker URL '" + text + "': unexpected '" + after + "' after the list of"
                        + " brokers; options follow a '?'");
            }
            query = after.isEmpty() ? "" : after.substring(1);
        } else {
            // failover:tcp://host:port?options: one broker; its options are the failover options, as in ActiveMQ
            int q = rest.indexOf('?');
            list = q < 0 ? rest : rest.substring(0, q);
            query = q < 0 ? "" : rest.substring(q + 1);
        }
        List<TransportUri> uris = new ArrayList<>();
        for (String inner : splitTopLevel(list)) {
            if (inner.isBlank()) {
                throw new JMSException("broker URL '" + text + "': the list of brokers has an empty entry");
            }
            if (isFailover(inner)) {
                throw new JMSException("broker URL '" + text + "': a failover URL cannot contain another one");
            }
            TransportUri uri = TransportUri.parse(inner.trim());
            for (String key : uri.parameters().keySet()) {
                if (key.startsWith("jms.")) {
                    throw new JMSException("broker URL '" + text + "': " + key + " is a connection factory option;"
                            + " put it after the parenthesis: failover:(...)?" + key + "=...");
                }
            }
            uris.add(uri);
        }
        if (uris.isEmpty()) {
            throw new JMSException("broker URL '" + text + "' names no broker; expected"
                    + " failover:(tcp://host1:61616,tcp://host2:61616)");
        }
        Options o = new Options(text, query);
        boolean randomize = o.bool("randomize", true);
        long initialDelay = o.positiveMillis("initialReconnectDelay", 10);
        long maxDelay = o.positiveMillis("maxReconnectDelay", 30_000);
        boolean exponential = o.bool("useExponentialBackOff", true);
        double multiplier = o.multiplier("backOffMultiplier", 2.0);
        int maxAttempts = o.attempts("maxReconnectAttempts", -1);
        int startupAttempts = o.attempts("startupMaxReconnectAttempts", -1);
        long timeout = o.timeout("timeout", -1);
        Map<String, String> client = o.rest();
        if (maxDelay < initialDelay) {
            throw new JMSException("broker URL '" + text + "': maxReconnectDelay=" + maxDelay
                    + " is less than initialReconnectDelay=" + initialDelay + "; it must be at least as long");
        }
        return new FailoverUri(text, List.copyOf(uris), randomize, initialDelay, maxDelay, exponential, multiplier,
                maxAttempts, startupAttempts, timeout, client);
    }

    /** The failed passes after the first that the first connection may take before it gives up; -1 for ever. */
    public int startupAttemptLimit() {
        return startupMaxReconnectAttempts >= 0 ? startupMaxReconnectAttempts : maxReconnectAttempts;
    }

    /** The wait before pass {@code pass} (1 for the second pass over the brokers, 2 for the third...). */
    public long delayBeforePass(int pass) {
        if (pass < 1) {
            return 0;
        }
        if (!useExponentialBackOff) {
            return initialReconnectDelayMillis;
        }
        double delay = initialReconnectDelayMillis * Math.pow(backOffMultiplier, pass - 1);
        return delay >= maxReconnectDelayMillis ? maxReconnectDelayMillis : (long) delay;
    }

    private static int matchingParenthesis(String text, String rest) throws JMSException {
        int depth = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new JMSException("broker URL '" + text + "': the list of brokers has no closing ')'");
    }

    private static List<String> splitTopLevel(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(list.substring(start));
        return parts;
    }

    /** The query's options, taken one by one; what is left must be {@code jms.*}. */
    private static final class Options {
        private final String text;
        private final Map<String, String> values = new LinkedHashMap<>();

        Options(String text, String query) throws JMSException {
            this.text = text;
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new JMSException("broker URL '" + text + "': option '" + pair
                            + "' is not of the form name=value");
                }
                String key = decode(pair.substring(0, eq));
                if (values.put(key, decode(pair.substring(eq + 1))) != null) {
                    throw new JMSException("broker URL '" + text + "': option '" + key + "' is given twice");
                }
            }
        }

        private String decode(String part) throws JMSException {
            try {
                return URLDecoder.decode(part, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new JMSException("broker URL '" + text + "': '" + part + "' is not correctly %-encoded");
            }
        }

        private JMSException invalid(String key, String value, String allowed) {
            return new JMSException("broker URL '" + text + "': " + key + "='" + value + "' is invalid; " + key
                    + " must be " + allowed);
        }

        boolean bool(String key, boolean otherwise) throws JMSException {
            String v = values.remove(key);
            if (v == null) {
                return otherwise;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw invalid(key, v, "true or false");
        }

        long positiveMillis(String key, long otherwise) throws JMSException {
            String v = values.remove(key);
            if (v == null) {
                return otherwise;
            }
            long n = parseLong(v);
            if (n < 1) {
                throw invalid(key, v, "a whole number of milliseconds, at least 1");
            }
            return n;
        }

        long timeout(String key, long otherwise) throws JMSException {
            String v = values.remove(key);
            if (v == null) {
                return otherwise;
            }
            long n = parseLong(v);
            if (n < -1 || n == Long.MIN_VALUE) {
                throw invalid(key, v, "-1 (wait for ever) or a whole number of milliseconds, at least 0");
            }
            return n;
        }

        int attempts(String key, int otherwise) throws JMSException {
            String v = values.remove(key);
            if (v == null) {
                return otherwise;
            }
            long n = parseLong(v);
            if (n < -1 || n > Integer.MAX_VALUE) {
                throw invalid(key, v, "-1 (for ever) or a whole number of attempts, at least 0");
            }
            return (int) n;
        }

        double multiplier(String key, double otherwise) throws JMSException {
            String v = values.remove(key);
            if (v == null) {
                return otherwise;
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (!(d >= 1.0) || Double.isInfinite(d)) {
                throw invalid(key, v, "a number of at least 1 (for example 2 or 1.5)");
            }
            return d;
        }

        private static long parseLong(String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }

        /** The connection factory's options; anything else is unknown. */
        Map<String, String> rest() throws JMSException {
            Map<String, String> client = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (!e.getKey().startsWith("jms.")) {
                    throw new JMSException("broker URL '" + text + "': unknown failover option '" + e.getKey()
                            + "'; failover: accepts randomize, initialReconnectDelay, maxReconnectDelay,"
                            + " useExponentialBackOff, backOffMultiplier, maxReconnectAttempts,"
                            + " startupMaxReconnectAttempts, timeout, and the connection factory's jms.* options");
                }
                client.put(e.getKey(), e.getValue());
            }
            return Collections.unmodifiableMap(client);
        }
    }
}
