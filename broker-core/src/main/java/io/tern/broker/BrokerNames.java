package io.tern.broker;

/** What a broker name may be: it appears in {@code vm://} URIs and directory names. */
final class BrokerNames {

    private BrokerNames() {
    }

    /** Why {@code name} is not a valid broker name, or null when it is. */
    static String invalidReason(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > 100) {
            return "is longer than 100 characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                return "has '" + c + "' at index " + i + "; use letters, digits, '-', '_' and '.'";
            }
        }
        return null;
    }
}
