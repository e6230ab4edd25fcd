package io.tern.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name=value} and {@code --flag} arguments, checked against the names a program accepts. */
public final class CommandLineArguments {

    private CommandLineArguments() {
    }

    /**
     * Parses {@code args}; a bare {@code --flag} maps to "true".
     *
     * @throws IllegalArgumentException naming the first argument that is malformed or not in {@code accepted}
     */
    public static Map<String, String> parse(List<String> args, Set<String> accepted) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --name=value or --flag, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String value = eq < 0 ? "true" : arg.substring(eq + 1);
            if (!accepted.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; accepted: --"
                        + String.join(", --", accepted.stream().sorted().toList()));
            }
            parsed.put(name, value);
        }
        return parsed;
    }
}
