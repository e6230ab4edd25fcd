package io.tern.benchmarks.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Artemis' libaio wrapper. The {@code activemq-artemis-native} jar carries the shared library, but
 * Artemis loads it only from {@code java.library.path}; embedded Artemis therefore runs on its NIO
 * journal unless someone copies the library out. This class does that copy for the AIO target.
 */
final class ArtemisNativeLibrary {

    private static final String RESOURCE = "lib/linux-x86_64/libartemis-native-64.so";
    private static final Path LIBAIO = Path.of("/lib/x86_64-linux-gnu/libaio.so.1");
    private static final Path LIBAIO_T64 = Path.of("/lib/x86_64-linux-gnu/libaio.so.1t64");

    private ArtemisNativeLibrary() {
    }

    /** Why the AIO journal cannot run here, or null when it can be tried. */
    static String unavailableReason() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (!os.contains("linux") || !("amd64".equals(arch) || "x86_64".equals(arch))) {
            return "the Artemis native library is built for Linux x86_64 only (this is " + os + " " + arch + ")";
        }
        if (ArtemisNativeLibrary.class.getClassLoader().getResource(RESOURCE) == null) {
            return "activemq-artemis-native is not on the classpath";
        }
        if (!Files.exists(LIBAIO) && !Files.exists(LIBAIO_T64)) {
            return "libaio is not installed (apt-get install libaio1)";
        }
        return null;
    }

    /** Copies the library into {@code directory} (once) and returns the directory for java.library.path. */
    static synchronized Path extractTo(Path directory) throws IOException {
        Path library = directory.resolve("libartemis-native-64.so");
        if (Files.exists(library)) {
            return directory;
        }
        Files.createDirectories(directory);
        try (InputStream in = ArtemisNativeLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " not found on the classpath");
            }
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        }
        return directory;
    }
}
