package io.tern.transport;

import jakarta.jms.JMSException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker URL such as {@code vm://orders?create=true&broker.persistent=false}: scheme, the part
 * before the query (a broker name, or host and port), and the query parameters in order. Immutable.
 */
public record TransportUri(String text, String scheme, String target, Map<String, String> parameters) {

    /**
     * @throws JMSException naming what is wrong with a malformed URL
     */
    public static TransportUri parse(String text) throws JMSException {
        if (text == null || text.isBlank()) {
            throw new JMSException("broker URL is null or blank; expected for example vm://broker-name");
        }
        String s = text.trim();
        int schemeEnd = s.indexOf("://");
        if (schemeEnd <= 0) {
            throw new JMSException("broker URL '" + text + "' has no scheme; expected for example vm://broker-name");
        }
        String scheme = s.substring(0, schemeEnd);
        String rest = s.substring(schemeEnd + 3);
        int q = rest.indexOf('?');
        String target = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            String query = rest.substring(q + 1);
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new JMSException("broker URL '" + text + "': parameter '" + pair
                            + "' is not of the form name=value");
                }
                String key = decode(text, pair.substring(0, eq));
                String value = decode(text, pair.substring(eq + 1));
                if (params.put(key, value) != null) {
                    throw new JMSException("broker URL '" + text + "': parameter '" + key + "' is given twice");
                }
            }
        }
        return new TransportUri(text, scheme, target, Collections.unmodifiableMap(params));
    }

    private static String decode(String text, String part) throws JMSException {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new JMSException("broker URL '" + text + "': '" + part + "' is not correctly %-encoded");
        }
    }
}
