package io.tern.store;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one store, read from {@code store.<type>.<key>=value}. Each typed getter records the
 * key as known; {@link #requireNoUnknownKeys()} then rejects any key nobody asked for, so a misspelt
 * setting is an error and not silently ignored. Errors name the full key and what it accepts.
 */
public final class StoreSettings {

    private final String prefix;
    private final Map<String, String> values;
    private final String brokerName;
    private final Path defaultDirectory;
    private final Set<String> known = new HashSet<>();

    /**
     * @param prefix the full prefix of this store's keys, such as {@code store.kahadb.}
     * @param values the settings without the prefix
     * @param brokerName the name of the broker the store is for
     * @param defaultDirectory where the store keeps its files unless configured otherwise
     */
    public StoreSettings(String prefix, Map<String, String> values, String brokerName, Path defaultDirectory) {
        this.prefix = prefix;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.brokerName = brokerName;
        this.defaultDirectory = defaultDirectory;
    }

    public String brokerName() {
        return brokerName;
    }

    public Path defaultDirectory() {
        return defaultDirectory;
    }

    public Map<String, String> values() {
        return values;
    }

    public String getString(String key, String defaultValue) {
        known.add(key);
        String v = values.get(key);
        return v == null ? defaultValue : v.trim();
    }

    public Path getPath(String key, Path defaultValue) {
        String v = getString(key, null);
        return v == null || v.isEmpty() ? defaultValue : Path.of(v);
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw error(key, "'" + v + "' is not a whole number; expected " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw error(key, parsed + " is out of range; expected " + min + " to " + max);
        }
        return parsed;
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        return (int) getLong(key, defaultValue, min, max);
    }

    /** A size such as {@code 32mb}, {@code 512kb}, {@code 1gb} or plain bytes. */
    public long getBytes(String key, long defaultValue, long min, long max) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = parseBytes(v);
        } catch (IllegalArgumentException e) {
            throw error(key, "'" + v + "' is not a size; expected bytes or a number with kb, mb or gb");
        }
        if (parsed < min || parsed > max) {
            throw error(key, v + " is out of range; expected " + min + " to " + max + " bytes");
        }
        return parsed;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "'" + v + "' is not a boolean; expected true or false");
        };
    }

    /** One of a fixed set of values, compared without case; returns the allowed spelling. */
    public String getChoice(String key, String defaultValue, String... allowed) {
        String v = getString(key, null);
        if (v == null) {
            return defaultValue;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw error(key, "'" + v + "' is not allowed; expected one of " + String.join(", ", allowed));
    }

    /** Fails on the first key that no getter asked for. Call after reading every setting. */
    public void requireNoUnknownKeys() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw error(key, "unknown setting; known settings are " + new TreeSet<>(known));
            }
        }
    }

    public StoreConfigurationException error(String key, String message) {
        return new StoreConfigurationException(prefix + key, message);
    }

    /** Parses {@code 123}, {@code 64kb}, {@code 32mb}, {@code 2gb} (case-insensitive, optional {@code b}). */
    public static long parseBytes(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("k")) {
            multiplier = 1024L;
        } else if (s.endsWith("m")) {
            multiplier = 1024L * 1024;
        } else if (s.endsWith("g")) {
            multiplier = 1024L * 1024 * 1024;
        }
        if (multiplier != 1) {
            s = s.substring(0, s.length() - 1);
        }
        long n = Long.parseLong(s.trim());
        if (n < 0) {
            throw new IllegalArgumentException("negative size");
        }
        return Math.multiplyExact(n, multiplier);
    }
}
