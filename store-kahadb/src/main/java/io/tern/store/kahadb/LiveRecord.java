package io.tern.store.kahadb;

/**
 * What a live record at a journal location is ({@code 'L'} key), so compaction and the pin diagnostic
 * can find a segment's live records without scanning the whole index.
 *
 * @param kind the store record type that made it live: CREATE_DESTINATION, ADD_SUBSCRIPTION,
 *             PREPARE_TRANSACTION, or ADD_MESSAGE for a message (whichever record holds it now)
 * @param destinationId its destination (0 for a prepared transaction)
 * @param id the message's sequence, the subscription's ID or the prepare order; 0 for a destination
 */
record LiveRecord(byte kind, long destinationId, long id) {

    byte[] encode() {
        return new BinaryOutput(17).writeByte(kind).writeLong(destinationId).writeLong(id).toByteArray();
    }

    static LiveRecord decode(byte[] value) {
        BinaryInput in = new BinaryInput(value);
        return new LiveRecord((byte) in.readByte(), in.readLong(), in.readLong());
    }
}
