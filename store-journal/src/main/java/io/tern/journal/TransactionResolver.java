package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the raw record stream of a replay into what a {@link RecordVisitor} sees: non-transactional
 * operations as they come, a transaction's operations at its COMMIT, nothing of rolled-back ones, and
 * the prepared ones left at the end.
 *
 * <p>A PREPARE or COMMIT carries the number of operations the journal wrote for its transaction. When
 * fewer were replayed (one was lost to corruption, or the replay began after the transaction did), the
 * transaction is reported as corruption and dropped whole: a replay never applies half a transaction.
 *
 * <p>Holds the operations of open transactions in memory until they resolve. Belongs to the replaying
 * thread.
 */
final class TransactionResolver {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionResolver.class);

    private static final class OpenTransaction {
        final List<JournalRecord> operations = new ArrayList<>();
        JournalRecord prepare;
        boolean damaged;
    }

    private final Path directory;
    private final RecordVisitor visitor;
    private final Map<Long, OpenTransaction> open = new LinkedHashMap<>();

    TransactionResolver(Path directory, RecordVisitor visitor) {
        this.directory = directory;
        this.visitor = visitor;
    }

    void accept(JournalRecord record) {
        long tx = record.transactionId();
        switch (record.kind()) {
            case ADD, UPDATE, DELETE -> visitor.operation(record);
            case ADD_TX, UPDATE_TX, DELETE_TX -> open.computeIfAbsent(tx, k -> new OpenTransaction()).operations.add(record);
            case PREPARE -> {
                OpenTransaction t = open.computeIfAbsent(tx, k -> new OpenTransaction());
                t.prepare = record;
                checkComplete(t, record, "prepares");
            }
            case COMMIT -> {
                OpenTransaction t = open.remove(tx);
                if (t == null) {
                    t = new OpenTransaction();
                }
                if (checkComplete(t, record, "commits")) {
                    t.operations.forEach(visitor::operation);
                }
            }
            case ROLLBACK -> open.remove(tx);
        }
    }

    /** Hands the transactions still prepared to the visitor; forgets those with no outcome. */
    void finish() {
        for (Map.Entry<Long, OpenTransaction> e : open.entrySet()) {
            OpenTransaction t = e.getValue();
            if (t.prepare != null && !t.damaged) {
                visitor.prepared(new PreparedTransaction(e.getKey(), t.prepare.position(), t.prepare.payload(), t.operations));
            } else if (t.prepare == null) {
                LOG.debug("Transaction {} has {} operations but no outcome in the journal; dropped", e.getKey(),
                        t.operations.size());
            }
        }
        open.clear();
    }

    private boolean checkComplete(OpenTransaction t, JournalRecord control, String verb) {
        if (t.damaged) {
            return false;
        }
        if (control.id() == t.operations.size()) {
            return true;
        }
        t.damaged = true;
        JournalPosition p = control.position();
        visitor.corruption(new JournalCorruption(directory.resolve(JournalSegment.fileName(p.segmentId())), p.segmentId(),
                p.offset(), RecordFrame.OVERHEAD + control.payload().length,
                "transaction " + control.transactionId() + " " + verb + " " + control.id() + " operations but "
                        + t.operations.size() + " were found; the transaction is dropped"));
        return false;
    }
}
