package io.tern.broker;

import io.tern.store.StoreSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a broker from flat settings, as a properties file or a {@code vm://...?broker.x=y} URI gives
 * them. Keys: {@code broker.name}, {@code broker.persistent}, {@code broker.memoryLimit},
 * {@code broker.flowControl}, {@code broker.autoCreateDestinations}, {@code broker.dataDirectory},
 * {@code broker.storeTimeout}, {@code broker.shutdownHook}, {@code broker.queues}, {@code broker.topics},
 * {@code broker.transportConnectors}, {@code broker.expiryQueue}, {@code broker.expirySweepInterval},
 * {@code broker.redelivery.<field>} (the default {@link RedeliveryPolicy}), {@code queue.<name>.redelivery.<field>}
 * and {@code topic.<name>.redelivery.<field>} (one destination's policy), {@code store.type} and
 * {@code store.<type>.<setting>}. An unknown key
 * or a bad value is an {@link IllegalArgumentException} that names the key and what it accepts.
 */
public final class BrokerProperties {

    private static final Set<String> BROKER_KEYS = new TreeSet<>(Set.of(
            "broker.name", "broker.persistent", "broker.memoryLimit", "broker.flowControl",
            "broker.autoCreateDestinations", "broker.dataDirectory", "broker.storeTimeout", "broker.shutdownHook",
            "broker.queues", "broker.topics", "broker.transportConnectors", "broker.expiryQueue",
            "broker.expirySweepInterval", "store.type"));

    private static final String REDELIVERY_FIELDS = "maximumRedeliveries, initialRedeliveryDelay,"
            + " backOffMultiplier, maximumRedeliveryDelay, deadLetterQueue";

    private BrokerProperties() {
    }

    /** Reads a properties file and builds the broker it describes (not started). */
    public static Broker load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read broker configuration " + file, e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return builder(map).build();
    }

    /** A builder preset with the given settings. */
    public static Broker.Builder builder(Map<String, String> settings) {
        Broker.Builder b = Broker.builder();
        String storeType = settings.get("store.type");
        Map<String, String> storeSettings = new LinkedHashMap<>();
        RedeliveryPolicy defaultPolicy = RedeliveryPolicy.DEFAULT;
        Map<String, RedeliveryPolicy> ownPolicies = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (key.startsWith("broker.redelivery.")) {
                defaultPolicy = withField(defaultPolicy, key, key.substring("broker.redelivery.".length()), value);
                continue;
            }
            int redelivery = key.lastIndexOf(".redelivery.");
            if ((key.startsWith("queue.") || key.startsWith("topic.")) && redelivery > 6) {
                String destination = key.substring(0, redelivery);
                RedeliveryPolicy own = ownPolicies.getOrDefault(destination, null);
                ownPolicies.put(destination, withField(own == null ? RedeliveryPolicy.DEFAULT : own, key,
                        key.substring(redelivery + ".redelivery.".length()), value));
                continue;
            }
            if (key.startsWith("store.") && !key.equals("store.type")) {
                if (storeType == null) {
                    throw new IllegalArgumentException(key + ": store settings need store.type to be set");
                }
                String prefix = "store." + storeType + ".";
                if (!key.startsWith(prefix)) {
                    throw new IllegalArgumentException(key + ": setting for another store type than store.type="
                            + storeType + "; expected keys starting with " + prefix);
                }
                storeSettings.put(key.substring(prefix.length()), value);
                continue;
            }
            apply(b, key, value);
        }
        if (storeType != null) {
            b.storeType(storeType, storeSettings);
        }
        b.redeliveryPolicy(defaultPolicy);
        for (Map.Entry<String, RedeliveryPolicy> e : ownPolicies.entrySet()) {
            String destination = e.getKey();
            if (destination.startsWith("queue.")) {
                b.queueRedeliveryPolicy(destination.substring("queue.".length()), e.getValue());
            } else {
                b.topicRedeliveryPolicy(destination.substring("topic.".length()), e.getValue());
            }
        }
        return b;
    }

    private static void apply(Broker.Builder b, String key, String value) {
        switch (key) {
            case "broker.name" -> b.name(value);
            case "broker.persistent" -> b.persistent(bool(key, value));
            case "broker.memoryLimit" -> b.memoryLimit(bytes(key, value));
            case "broker.flowControl" -> {
                try {
                    b.flowControl(FlowControl.valueOf(value.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": '" + value + "' is not allowed; expected block or fail");
                }
            }
            case "broker.autoCreateDestinations" -> b.autoCreateDestinations(bool(key, value));
            case "broker.dataDirectory" -> b.dataDirectory(Path.of(value));
            case "broker.storeTimeout" -> b.storeTimeout(Duration.ofMillis(positiveLong(key, value)));
            case "broker.shutdownHook" -> b.shutdownHook(bool(key, value));
            case "broker.queues" -> list(value).forEach(b::queue);
            case "broker.topics" -> list(value).forEach(b::topic);
            case "broker.transportConnectors" -> list(value).forEach(b::transportConnector);
            case "broker.expiryQueue" -> b.expiryQueue(value.isEmpty() || value.equalsIgnoreCase("none") ? null : value);
            case "broker.expirySweepInterval" -> b.expirySweepInterval(Duration.ofMillis(positiveLong(key, value)));
            case "store.type" -> { }
            default -> throw new IllegalArgumentException(key + ": unknown setting; known settings are " + BROKER_KEYS
                    + " and store.<type>.<setting>");
        }
    }

    /** A policy with one field changed, from a {@code ...redelivery.<field>} key. */
    private static RedeliveryPolicy withField(RedeliveryPolicy p, String key, String field, String value) {
        try {
            return switch (field) {
                case "maximumRedeliveries" -> p.withMaximumRedeliveries(Integer.parseInt(value));
                case "initialRedeliveryDelay" -> p.withInitialRedeliveryDelay(Long.parseLong(value));
                case "backOffMultiplier" -> p.withBackOffMultiplier(Double.parseDouble(value));
                case "maximumRedeliveryDelay" -> p.withMaximumRedeliveryDelay(Long.parseLong(value));
                case "deadLetterQueue" -> p.withDeadLetterQueue(value);
                default -> throw new IllegalArgumentException(key + ": unknown redelivery setting '" + field
                        + "'; known are " + REDELIVERY_FIELDS);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(key)) {
                throw e;
            }
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static java.util.List<String> list(String value) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + value + "' is not a boolean; expected true or false");
        };
    }

    private static long bytes(String key, String value) {
        try {
            long n = StoreSettings.parseBytes(value);
            if (n <= 0) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value
                    + "' is not a positive size; expected bytes or a number with kb, mb or gb (64mb)");
        }
    }

    private static long positiveLong(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a positive whole number of milliseconds");
        }
    }
}
