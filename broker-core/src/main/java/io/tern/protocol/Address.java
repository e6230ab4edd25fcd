package io.tern.protocol;

import java.util.Objects;

/**
 * The broker-side identity of a destination: its kind and its name. Used by the wire, the stores and
 * the broker alike, so a destination means the same thing everywhere.
 */
public record Address(Kind kind, String name) {

    /** The four kinds of destination the spec knows. */
    public enum Kind {
        QUEUE, TOPIC, TEMP_QUEUE, TEMP_TOPIC;

        public boolean isTopic() {
            return this == TOPIC || this == TEMP_TOPIC;
        }

        public boolean isTemporary() {
            return this == TEMP_QUEUE || this == TEMP_TOPIC;
        }
    }

    /** Longest destination name accepted; long enough for any sane name, short enough for an index key. */
    public static final int MAX_NAME_LENGTH = 255;

    public Address {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Address queue(String name) {
        return new Address(Kind.QUEUE, name);
    }

    public static Address topic(String name) {
        return new Address(Kind.TOPIC, name);
    }

    public boolean isTopic() {
        return kind.isTopic();
    }

    public boolean isTemporary() {
        return kind.isTemporary();
    }

    /**
     * Returns why {@code name} is not a valid destination name, or null when it is valid. A name is
     * 1 to 255 characters with no whitespace or control characters.
     */
    public static String invalidNameReason(String name) {
        if (name == null) {
            return "destination name is null";
        }
        if (name.isEmpty()) {
            return "destination name is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "destination name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "destination name '" + name + "' contains whitespace or a control character at index " + i;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + name;
    }
}
