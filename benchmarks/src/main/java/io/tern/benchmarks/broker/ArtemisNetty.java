package io.tern.benchmarks.broker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts Artemis back on the Netty it was released with. The parent pom manages Netty to Tern's version
 * for the whole build, so the module's class path would run Artemis on a Netty it never shipped with;
 * the build copies Artemis' own Netty jars to {@code target/artemis-netty} (version in this module's
 * pom), and this class swaps them in for an Artemis child JVM.
 */
final class ArtemisNetty {

    static final String DIRECTORY = "artemis-netty";

    private ArtemisNetty() {
    }

    static String substitute(String moduleClasspath, Path buildDirectory) throws IOException {
        Path directory = buildDirectory.resolve(DIRECTORY);
        List<String> entries = new ArrayList<>();
        for (String entry : moduleClasspath.split(File.pathSeparator)) {
            if (!isNetty(entry)) {
                entries.add(entry);
            }
        }
        try (Stream<Path> jars = Files.list(directory)) {
            List<String> artemisNetty = jars.map(Path::toString).filter(name -> name.endsWith(".jar")).sorted().toList();
            if (artemisNetty.isEmpty()) {
                throw new IOException("no Netty jars in " + directory + "; build the module with Maven first");
            }
            entries.addAll(artemisNetty);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(directory + " is missing; build the module with Maven first", e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static boolean isNetty(String entry) {
        return Path.of(entry).getFileName().toString().startsWith("netty-");
    }
}
