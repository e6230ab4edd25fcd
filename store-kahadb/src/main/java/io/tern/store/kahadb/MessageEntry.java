package io.tern.store.kahadb;

/**
 * The index value of one stored message ({@code 'Q'} key).
 *
 * @param location where its ADD_MESSAGE or MOVE_MESSAGE record is
 * @param recordType which of the two it is, to find the message bytes in the payload
 * @param size the bytes of the encoded message, as counted in sizes and usage
 * @param deliveryCount a queue message's recorded delivery count (topic claims carry their own)
 * @param claims how many subscriptions still claim a topic message; 0 for a queue message
 */
record MessageEntry(Location location, byte recordType, int size, int deliveryCount, int claims) {

    byte[] encode() {
        BinaryOutput out = new BinaryOutput(32);
        location.writeTo(out);
        return out.writeByte(recordType).writeInt(size).writeInt(deliveryCount).writeInt(claims).toByteArray();
    }

    static MessageEntry decode(byte[] value) {
        BinaryInput in = new BinaryInput(value);
        return new MessageEntry(Location.readFrom(in), (byte) in.readByte(), in.readInt(), in.readInt(), in.readInt());
    }

    MessageEntry withLocation(Location l, byte type) {
        return new MessageEntry(l, type, size, deliveryCount, claims);
    }

    MessageEntry withDeliveryCount(int count) {
        return new MessageEntry(location, recordType, size, count, claims);
    }

    MessageEntry withClaims(int n) {
        return new MessageEntry(location, recordType, size, deliveryCount, n);
    }
}
