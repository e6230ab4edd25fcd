package io.tern.store.kahadb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2 GiB backlog ({@code kahadb.memory.megabytes}) on a broker with a 256 MiB heap: the index keeps
 * nothing per message on the heap, and the broker pages, so it stores and then delivers every message.
 * Long: runs only under -Pkahadb-long.
 */
@EnabledIfSystemProperty(named = "kahadb.long", matches = "true")
class BacklogMemoryTest {

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void aBacklogEightTimesTheHeapIsStoredAndDelivered() throws Exception {
        long megabytes = Long.getLong("kahadb.memory.megabytes", 2048);
        Path log = Path.of("target", "backlog-memory.log");
        Files.createDirectories(log.getParent());
        try (ChildJvm child = ChildJvm.start(log, List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                BacklogMemoryChild.class, directory.toString(), String.valueOf(megabytes))) {
            List<String> lines = new ArrayList<>();
            for (String line = child.nextLine(55, TimeUnit.MINUTES); line != null; line = child.nextLine(55, TimeUnit.MINUTES)) {
                lines.add(line);
            }
            assertEquals(0, child.waitFor(1, TimeUnit.MINUTES), "the child failed: " + lines + ", see " + log);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("OK " + megabytes * 1024 * 1024 / 4096)), lines.toString());
            Files.writeString(log, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
