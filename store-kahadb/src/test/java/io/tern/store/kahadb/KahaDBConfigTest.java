package io.tern.store.kahadb;

import io.tern.journal.SyncPolicy;
import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterFactory;
import io.tern.store.StoreConfigurationException;
import io.tern.store.StoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KahaDBConfigTest {

    @TempDir
    Path directory;

    private KahaDBConfig config(Map<String, String> values) {
        return KahaDBConfig.from(new StoreSettings("store.kahadb.", values, "b1", directory.resolve("default")));
    }

    private StoreConfigurationException error(Map<String, String> values) {
        return assertThrows(StoreConfigurationException.class, () -> config(values));
    }

    @Test
    void defaultsFollowTheDocumentation() {
        KahaDBConfig c = config(Map.of());
        assertEquals(directory.resolve("default"), c.directory());
        assertEquals(32 * 1024 * 1024, c.journalFileSize());
        assertEquals(SyncPolicy.ALWAYS, c.syncPolicy());
        assertEquals(Duration.ofSeconds(1), c.syncInterval());
        assertEquals(Duration.ofSeconds(5), c.checkpointInterval());
        assertEquals(Duration.ofSeconds(30), c.cleanupInterval());
        assertEquals(16L * 1024 * 1024, c.indexCacheSize());
        assertEquals(100L * 1024 * 1024 * 1024, c.limitBytes());
        assertEquals("auto", c.indexEngine());
    }

    @Test
    void everySettingIsRead() {
        KahaDBConfig c = config(Map.of("directory", directory.resolve("x").toString(), "journalFileSize", "4mb",
                "syncPolicy", "PERIODIC", "syncInterval", "250ms", "checkpointInterval", "2s", "cleanupInterval", "1m",
                "indexCacheSize", "1mb", "limit", "2gb", "indexEngine", "java", "lockRetryInterval", "100"));
        assertEquals(directory.resolve("x"), c.directory());
        assertEquals(4 * 1024 * 1024, c.journalFileSize());
        assertEquals(SyncPolicy.PERIODIC, c.syncPolicy());
        assertEquals(Duration.ofMillis(250), c.syncInterval());
        assertEquals(Duration.ofSeconds(2), c.checkpointInterval());
        assertEquals(Duration.ofMinutes(1), c.cleanupInterval());
        assertEquals(1024 * 1024, c.indexCacheSize());
        assertEquals(2L * 1024 * 1024 * 1024, c.limitBytes());
        assertEquals("java", c.indexEngine());
        assertEquals(Duration.ofMillis(100), c.lockRetryInterval());
    }

    @Test
    void errorsNameTheKeyAndWhatItAccepts() {
        StoreConfigurationException e = error(Map.of("syncPolicy", "sometimes"));
        assertEquals("store.kahadb.syncPolicy", e.key());
        assertTrue(e.getMessage().contains("always, periodic, never"), e.getMessage());

        e = error(Map.of("journalFileSize", "2gb"));
        assertEquals("store.kahadb.journalFileSize", e.key());
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());

        e = error(Map.of("checkpointInterval", "soon"));
        assertEquals("store.kahadb.checkpointInterval", e.key());
        assertTrue(e.getMessage().contains("not a duration"), e.getMessage());

        e = error(Map.of("cleanupInterval", "0"));
        assertEquals("store.kahadb.cleanupInterval", e.key());

        e = error(Map.of("indexEngine", "rocks"));
        assertTrue(e.getMessage().contains("auto, native, java"), e.getMessage());

        e = error(Map.of("journalSize", "1mb"));
        assertEquals("store.kahadb.journalSize", e.key());
        assertTrue(e.getMessage().contains("unknown setting") && e.getMessage().contains("journalFileSize"),
                e.getMessage());
    }

    @Test
    void theFactoryIsFoundByItsTypeName() {
        PersistenceAdapterFactory factory = PersistenceAdapterFactory.forType("kahadb");
        PersistenceAdapter adapter = factory.create(new StoreSettings("store.kahadb.", Map.of(), "b1", directory));
        KahaDBPersistenceAdapter kahadb = assertInstanceOf(KahaDBPersistenceAdapter.class, adapter);
        assertEquals(directory, kahadb.config().directory());
        assertEquals("kahadb", adapter.type());
        assertTrue(adapter.isDurable());
    }
}
