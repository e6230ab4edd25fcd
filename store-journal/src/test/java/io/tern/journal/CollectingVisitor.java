package io.tern.journal;

import java.util.ArrayList;
import java.util.List;

/** A visitor that keeps everything a replay delivers, for assertions. */
final class CollectingVisitor implements RecordVisitor {

    final List<JournalRecord> operations = new ArrayList<>();
    final List<PreparedTransaction> prepared = new ArrayList<>();
    final List<JournalCorruption> corruptions = new ArrayList<>();

    @Override
    public void operation(JournalRecord record) {
        operations.add(record);
    }

    @Override
    public void prepared(PreparedTransaction transaction) {
        prepared.add(transaction);
    }

    @Override
    public void corruption(JournalCorruption corruption) {
        corruptions.add(corruption);
    }

    static CollectingVisitor replayAll(Journal journal) throws java.io.IOException {
        CollectingVisitor v = new CollectingVisitor();
        journal.replay(JournalPosition.ORIGIN, v);
        return v;
    }

    List<Long> recordIds() {
        return operations.stream().map(JournalRecord::recordId).toList();
    }
}
