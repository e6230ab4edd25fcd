package io.tern.journal;

/**
 * One record as read back from the journal.
 *
 * <p>The {@code id} field means what the kind says: the record ID of an operation (ADD, UPDATE, DELETE
 * and their transactional forms); for PREPARE and COMMIT, the number of operations the journal wrote
 * for the transaction before it (the journal uses it to detect transactions that lost a record); 0 for
 * ROLLBACK. The payload array is the record's own copy and is not shared.
 *
 * @param position where the record's frame starts
 * @param kind what the record does
 * @param id the record ID, or the operation count of a PREPARE or COMMIT
 * @param transactionId the transaction of a transactional record; 0 otherwise
 * @param recordType the byte the layer above gave the record (0 for transaction control records)
 * @param payload the bytes the layer above appended; empty for DELETE, COMMIT and ROLLBACK
 */
public record JournalRecord(JournalPosition position, RecordKind kind, long id, long transactionId,
                            byte recordType, byte[] payload) {

    /** The record ID of an operation. */
    public long recordId() {
        if (!kind.isOperation()) {
            throw new IllegalStateException(kind + " records carry no record ID");
        }
        return id;
    }

    @Override
    public String toString() {
        return kind + "[position=" + position + ", id=" + id + ", tx=" + transactionId + ", type=" + recordType
                + ", " + payload.length + " bytes]";
    }
}
