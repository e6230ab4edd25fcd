package io.tern.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The data directory of a persistent test broker: created empty under the system temporary directory
 * so tests never write into the project, and deleted with everything in it when the broker stops.
 */
final class TemporaryDataDirectory {

    private final Path path;

    private TemporaryDataDirectory(Path path) {
        this.path = path;
    }

    static TemporaryDataDirectory create(String brokerName) {
        try {
            return new TemporaryDataDirectory(Files.createTempDirectory("tern-" + brokerName + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for test broker " + brokerName, e);
        }
    }

    Path path() {
        return path;
    }

    void delete() {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException alreadyGone) {
            // Nothing left to delete.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete test broker data directory " + path, e);
        }
    }
}
