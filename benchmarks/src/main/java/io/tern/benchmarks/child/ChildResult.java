package io.tern.benchmarks.child;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a child JVM hands back: its figures by metric id and the facts its broker reported, or why its
 * target cannot run here, in a properties file (written whole, then renamed, so the parent never reads
 * half a file).
 *
 * @param metrics     figures by metric id
 * @param facts       facts from the started broker, such as the journal type it chose
 * @param unavailable why the target cannot run on this machine, or null when it ran
 */
public record ChildResult(Map<String, Double> metrics, Map<String, String> facts, String unavailable) {

    private static final String METRIC = "metric.";
    private static final String FACT = "fact.";
    private static final String UNAVAILABLE = "unavailable";

    static void write(Path file, ChildResult result) throws IOException {
        Properties properties = new Properties();
        result.metrics().forEach((id, value) -> properties.setProperty(METRIC + id, Double.toString(value)));
        result.facts().forEach((name, value) -> properties.setProperty(FACT + name, value));
        if (result.unavailable() != null) {
            properties.setProperty(UNAVAILABLE, result.unavailable());
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            properties.store(out, "tern benchmark child result");
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    static ChildResult read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> facts = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name);
            if (name.startsWith(METRIC)) {
                metrics.put(name.substring(METRIC.length()), Double.parseDouble(value));
            } else if (name.startsWith(FACT)) {
                facts.put(name.substring(FACT.length()), value);
            }
        }
        return new ChildResult(Collections.unmodifiableMap(metrics), Collections.unmodifiableMap(facts),
                properties.getProperty(UNAVAILABLE));
    }
}
