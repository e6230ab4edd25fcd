package io.tern.journal;

import java.util.List;

/**
 * A transaction that was prepared and neither committed nor rolled back by the end of a replay: in
 * doubt, for the transaction manager to resolve with {@link Journal#commit} or {@link Journal#rollback}.
 *
 * @param transactionId the transaction
 * @param position where its (last) PREPARE record is
 * @param data the opaque bytes given to {@link Journal#prepare}
 * @param operations its operations in journal order
 */
public record PreparedTransaction(long transactionId, JournalPosition position, byte[] data,
                                  List<JournalRecord> operations) {

    public PreparedTransaction {
        operations = List.copyOf(operations);
    }
}
