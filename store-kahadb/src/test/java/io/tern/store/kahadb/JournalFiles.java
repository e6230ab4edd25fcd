package io.tern.store.kahadb;

import io.tern.journal.Journal;
import io.tern.journal.JournalCorruption;
import io.tern.journal.JournalRecord;
import io.tern.journal.PreparedTransaction;
import io.tern.journal.RecordVisitor;
import io.tern.journal.JournalPosition;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks at and damages a stopped store's journal files, for recovery tests. */
final class JournalFiles {

    private JournalFiles() {
    }

    /** Every record of the journal, in order, with its own position (the store must be stopped). */
    static List<JournalRecord> records(KahaDBConfig config) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (Journal journal = Journal.open(config.journalConfig())) {
            journal.replay(JournalPosition.ORIGIN, new RecordVisitor() {
                @Override
                public void operation(JournalRecord record) {
                    records.add(record);
                }

                @Override
                public void prepared(PreparedTransaction transaction) {
                }

                @Override
                public void corruption(JournalCorruption corruption) {
                }
            });
        }
        return records;
    }

    static Path segmentFile(KahaDBConfig config, long segmentId) {
        return config.journalConfig().directory().resolve(String.format("journal-%010d.log", segmentId));
    }

    static List<Path> segmentFiles(KahaDBConfig config) throws IOException {
        try (Stream<Path> files = Files.list(config.journalConfig().directory())) {
            return files.filter(f -> f.getFileName().toString().matches("journal-\\d+\\.log")).sorted().toList();
        }
    }

    static long journalBytes(KahaDBConfig config) throws IOException {
        long total = 0;
        for (Path f : segmentFiles(config)) {
            total += Files.size(f);
        }
        return total;
    }

    /** Inverts {@code count} bytes of a file from {@code offset}. */
    static void flip(Path file, long offset, int count) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < count; i++) {
                f.seek(offset + i);
                int b = f.read();
                f.seek(offset + i);
                f.write(~b);
            }
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }
}
