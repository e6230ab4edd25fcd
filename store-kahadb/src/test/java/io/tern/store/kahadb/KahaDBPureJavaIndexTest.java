package io.tern.store.kahadb;

import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store contract suite on the pure-Java LevelDB (org.iq80.leveldb), the fallback where leveldbjni
 * has no native library: both must behave the same.
 */
class KahaDBPureJavaIndexTest extends PersistenceAdapterContract {

    @Override
    protected PersistenceAdapter createAdapter(Path directory) {
        return new KahaDBPersistenceAdapter(KahaDBConfig.builder(directory).journalFileSize(1024 * 1024)
                .indexEngine("java").build());
    }

    @Test
    void theIndexRunsOnThePureJavaPort() {
        assertEquals("java", ((KahaDBPersistenceAdapter) adapter).engineForTests().index.engine());
    }
}
