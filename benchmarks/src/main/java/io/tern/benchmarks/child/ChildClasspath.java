package io.tern.benchmarks.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The class path for child JVMs: this module's classes plus its runtime dependencies.
 *
 * <p>The parent's own {@code java.class.path} cannot be trusted for this: under {@code exec:java} it is
 * Maven's, and under Surefire it may be a manifest-only jar. So the build writes the dependency class
 * path into this module's classes (maven-dependency-plugin {@code build-classpath}), and this class adds
 * the location the module's own classes were loaded from.
 */
public final class ChildClasspath {

    /** Overrides everything else, for running from an IDE or an unusual layout. */
    public static final String OVERRIDE_PROPERTY = "tern.benchmarks.classpath";

    static final String RESOURCE = "io/tern/benchmarks/runtime-classpath.txt";

    private ChildClasspath() {
    }

    public static String resolve() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override;
        }
        String dependencies = dependenciesWrittenAtBuild();
        if (dependencies == null) {
            return System.getProperty("java.class.path");
        }
        return ownLocation() + java.io.File.pathSeparator + dependencies;
    }

    private static String dependenciesWrittenAtBuild() {
        try (InputStream in = ChildClasspath.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * The module's build directory ({@code target/}), where the build leaves libraries that a target
     * swaps into its class path; the directory above this module's classes.
     */
    public static Path buildDirectory() {
        return Path.of(ownLocation()).getParent();
    }

    private static String ownLocation() {
        try {
            return Path.of(ChildClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks classes", e);
        }
    }
}
