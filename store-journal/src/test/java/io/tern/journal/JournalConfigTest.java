package io.tern.journal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JournalConfigTest {

    private static final Path DIR = Path.of("target", "unused");

    @Test
    void defaults() {
        JournalConfig c = JournalConfig.builder().directory(DIR).build();
        assertEquals(32 * 1024 * 1024, c.fileSize());
        assertEquals(SyncPolicy.ALWAYS, c.syncPolicy());
        assertEquals(Duration.ofSeconds(1), c.syncInterval());
        assertEquals(32 * 1024 * 1024 - 64, c.maxPayloadSize());
    }

    @Test
    void readsStringProperties() {
        JournalConfig c = JournalConfig.fromProperties("store.kahadb.journal.", Map.of(
                "directory", "/tmp/j", "fileSize", "64kb", "syncPolicy", "Periodic", "syncInterval", "250ms"));
        assertEquals(Path.of("/tmp/j"), c.directory());
        assertEquals(64 * 1024, c.fileSize());
        assertEquals(SyncPolicy.PERIODIC, c.syncPolicy());
        assertEquals(Duration.ofMillis(250), c.syncInterval());
        assertEquals(2 * 1024 * 1024, JournalConfig.fromProperties("j.", Map.of("directory", "d", "fileSize", "2mb")).fileSize());
        assertEquals(Duration.ofSeconds(3), JournalConfig.fromProperties("j.", Map.of("directory", "d", "syncInterval", "3s")).syncInterval());
        assertEquals(Duration.ofMillis(40), JournalConfig.fromProperties("j.", Map.of("directory", "d", "syncInterval", "40")).syncInterval());
    }

    @Test
    void errorsNameTheKeyAndTheAllowedValues() {
        assertError("journal.syncPolicy: 'sometimes' is not allowed; expected always, periodic or never",
                Map.of("directory", "d", "syncPolicy", "sometimes"));
        assertError("journal.fileSize: 100 is out of range; expected 4096 to 1073741824 bytes (4kb to 1gb)",
                Map.of("directory", "d", "fileSize", "100"));
        assertError("journal.fileSize: 2gb is out of range; expected 4096 to 1073741824 bytes (4kb to 1gb)",
                Map.of("directory", "d", "fileSize", "2gb"));
        assertError("journal.fileSize: 'big' is not a size; expected bytes or a number with kb, mb or gb (32mb)",
                Map.of("directory", "d", "fileSize", "big"));
        assertError("journal.syncInterval: 'soon' is not a duration; expected milliseconds or a number with ms or s (100ms, 1s)",
                Map.of("directory", "d", "syncInterval", "soon"));
        assertError("journal.syncInterval: 0ms is not allowed; expected a positive duration of at least 1ms (100ms, 1s)",
                Map.of("directory", "d", "syncInterval", "0ms"));
        assertError("journal.directory: is not set; expected the path of a directory", Map.of());
        assertError("journal.fileSzie: unknown key; expected directory, fileSize, syncPolicy or syncInterval",
                Map.of("directory", "d", "fileSzie", "1mb"));
    }

    @Test
    void builderErrorsUseTheDefaultPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalConfig.builder().directory(DIR).fileSize(1000).build());
        assertEquals("journal.fileSize: 1000 is out of range; expected 4096 to 1073741824 bytes (4kb to 1gb)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JournalConfig.builder().directory(DIR).syncInterval(Duration.ofMillis(-5)).build());
        assertEquals("journal.syncInterval: -5ms is not allowed; expected a positive duration of at least 1ms (100ms, 1s)",
                e.getMessage());
    }

    @Test
    void errorsUseTheGivenPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalConfig.fromProperties("store.kahadb.journal.", Map.of("directory", "d", "syncPolicy", "x")));
        assertEquals("store.kahadb.journal.syncPolicy: 'x' is not allowed; expected always, periodic or never", e.getMessage());
    }

    private static void assertError(String expected, Map<String, String> values) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalConfig.fromProperties("journal.", values));
        assertEquals(expected, e.getMessage());
    }
}
