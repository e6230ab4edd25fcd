package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.store.MessageStore;

import java.nio.file.Path;

/** A child JVM that opens a store, writes one message, says READY and waits to be killed. */
public final class LockHolderChild {

    private LockHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        KahaDBPersistenceAdapter adapter = StoreFixture.started(KahaDBConfig.builder(Path.of(args[0])).build());
        MessageStore queue = adapter.queueStore("from-child");
        StoreFixture.await(queue.add(queue.lastSequence() + 1, StoreFixture.message(Address.queue("from-child"),
                "child", queue.lastSequence() + 1, 10)));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
