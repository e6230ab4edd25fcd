package io.tern.store.kahadb;

import io.tern.store.PersistenceAdapter;
import io.tern.store.PersistenceAdapterContract;

import java.nio.file.Path;

/** The store contract suite, run against kahadb with small journal files so segments roll. */
class KahaDBPersistenceAdapterTest extends PersistenceAdapterContract {

    @Override
    protected PersistenceAdapter createAdapter(Path directory) {
        return new KahaDBPersistenceAdapter(KahaDBConfig.builder(directory).journalFileSize(1024 * 1024).build());
    }
}
