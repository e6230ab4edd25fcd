package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.ActivationListener;
import io.tern.store.MessageStore;
import io.tern.store.StoredMessage;
import io.tern.store.TopicMessageStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Helpers the kahadb tests share: adapters on a directory, messages, waiting, reading everything. */
final class StoreFixture {

    private StoreFixture() {
    }

    static KahaDBPersistenceAdapter started(KahaDBConfig config) throws IOException {
        KahaDBPersistenceAdapter adapter = new KahaDBPersistenceAdapter(config);
        adapter.start(ActivationListener.NONE);
        return adapter;
    }

    static KahaDBConfig.Builder config(Path directory, int journalFileSize) {
        return KahaDBConfig.builder(directory).journalFileSize(journalFileSize);
    }

    static MessageSnapshot message(Address destination, String producer, long producerSequence, int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (producerSequence + i);
        }
        return MessageSnapshot.builder()
                .messageId(producer == null ? null : "ID:" + producer + ":" + producerSequence)
                .destination(destination)
                .producerId(producer == null ? null : "ID:" + producer)
                .producerSequence(producerSequence)
                .body(MessageSnapshot.BodyType.BYTES, body)
                .build();
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("store write failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<StoredMessage> readAll(MessageStore queue) throws IOException {
        List<StoredMessage> all = new ArrayList<>();
        for (List<StoredMessage> page = queue.read(0, 1000); !page.isEmpty();
                page = queue.read(page.get(page.size() - 1).sequence(), 1000)) {
            all.addAll(page);
        }
        return all;
    }

    static List<StoredMessage> readAll(TopicMessageStore topic, String key) throws IOException {
        List<StoredMessage> all = new ArrayList<>();
        for (List<StoredMessage> page = topic.read(key, 0, 1000); !page.isEmpty();
                page = topic.read(key, page.get(page.size() - 1).sequence(), 1000)) {
            all.addAll(page);
        }
        return all;
    }

    static List<Long> sequences(List<StoredMessage> stored) {
        return stored.stream().map(StoredMessage::sequence).toList();
    }
}
