package io.tern.store.kahadb;

import io.tern.protocol.Address;
import io.tern.protocol.MalformedMessageException;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import io.tern.store.SubscriptionInfo;
import io.tern.store.TransactionOperation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the store writes to the journal: one record per change, its type in the journal's record-type
 * byte and its fields in the payload (big-endian, see docs/kahadb.md). Destinations and subscriptions
 * are named by numeric IDs that are never reused, so a record of a removed destination can never be
 * mistaken for one of a later destination of the same name.
 *
 * <p>Records that hold a message carry its {@link MessageCodec} encoding as the rest of the payload,
 * so a read decodes the message straight from the journal bytes.
 */
sealed interface StoreRecord {

    byte CREATE_DESTINATION = 1;
    byte DROP_DESTINATION = 2;
    byte ADD_MESSAGE = 3;
    byte REMOVE_MESSAGE = 4;
    byte DELIVERY_COUNT = 5;
    byte CLEAR_QUEUE = 6;
    byte ADD_SUBSCRIPTION = 7;
    byte DROP_SUBSCRIPTION = 8;
    byte PREPARE_TRANSACTION = 9;
    byte FORGET_TRANSACTION = 10;
    byte MOVE_MESSAGE = 11;
    byte OUTCOMES = 12;
    byte PRODUCER_MARKS = 13;
    byte DISPATCH_MARK = 14;

    /** The journal record-type byte. */
    byte type();

    /** The payload. */
    byte[] encode();

    /** A queue or topic exists; also rewritten forward by compaction, with its last sequence then. */
    record CreateDestination(long destinationId, Address.Kind kind, String name, long lastSequence)
            implements StoreRecord {
        public byte type() {
            return CREATE_DESTINATION;
        }

        public byte[] encode() {
            return new BinaryOutput(32 + name.length()).writeLong(destinationId).writeByte(kind.ordinal())
                    .writeLong(lastSequence).writeString(name).toByteArray();
        }
    }

    record DropDestination(long destinationId) implements StoreRecord {
        public byte type() {
            return DROP_DESTINATION;
        }

        public byte[] encode() {
            return new BinaryOutput(8).writeLong(destinationId).toByteArray();
        }
    }

    /**
     * A message stored in a queue (no subscriptions) or in a topic for the listed subscriptions, with
     * its producer's ID, sequence and message-ID fingerprint (for duplicate detection without decoding
     * the message). The message
     * array is the snapshot's cached encoding: never modified.
     */
    record AddMessage(long destinationId, long sequence, String producerId, long producerSequence,
                      int messageFingerprint, long[] subscriptionIds, byte[] message) implements StoreRecord {
        public byte type() {
            return ADD_MESSAGE;
        }

        public byte[] encode() {
            BinaryOutput out = new BinaryOutput(64 + 8 * subscriptionIds.length + message.length)
                    .writeLong(destinationId).writeLong(sequence).writeString(producerId).writeLong(producerSequence)
                    .writeInt(messageFingerprint).writeInt(subscriptionIds.length);
            for (long id : subscriptionIds) {
                out.writeLong(id);
            }
            return out.writeRaw(message).toByteArray();
        }
    }

    /** A queue message removed (subscription 0), or one subscription's claim on a topic message acknowledged. */
    record RemoveMessage(long destinationId, long subscriptionId, long sequence) implements StoreRecord {
        public byte type() {
            return REMOVE_MESSAGE;
        }

        public byte[] encode() {
            return new BinaryOutput(24).writeLong(destinationId).writeLong(subscriptionId).writeLong(sequence)
                    .toByteArray();
        }
    }

    record DeliveryCount(long destinationId, long subscriptionId, long sequence, int count) implements StoreRecord {
        public byte type() {
            return DELIVERY_COUNT;
        }

        public byte[] encode() {
            return new BinaryOutput(28).writeLong(destinationId).writeLong(subscriptionId).writeLong(sequence)
                    .writeInt(count).toByteArray();
        }
    }

    /** Every message of a queue removed. */
    record ClearQueue(long destinationId) implements StoreRecord {
        public byte type() {
            return CLEAR_QUEUE;
        }

        public byte[] encode() {
            return new BinaryOutput(8).writeLong(destinationId).toByteArray();
        }
    }

    /** A durable subscription exists; also rewritten forward by compaction. */
    record AddSubscription(long destinationId, long subscriptionId, SubscriptionInfo info) implements StoreRecord {
        public byte type() {
            return ADD_SUBSCRIPTION;
        }

        public byte[] encode() {
            return new BinaryOutput(64).writeLong(destinationId).writeLong(subscriptionId)
                    .writeString(info.clientId()).writeString(info.name()).writeString(info.selector())
                    .writeBoolean(info.noLocal()).writeBoolean(info.shared()).toByteArray();
        }
    }

    record DropSubscription(long destinationId, long subscriptionId) implements StoreRecord {
        public byte type() {
            return DROP_SUBSCRIPTION;
        }

        public byte[] encode() {
            return new BinaryOutput(16).writeLong(destinationId).writeLong(subscriptionId).toByteArray();
        }
    }

    /**
     * A prepared two-phase transaction with everything it will do, in one record so it is atomic by
     * itself; also rewritten forward by compaction. {@code order} numbers prepares, never reused.
     */
    record PrepareTransaction(long order, GlobalTransactionId xid, List<TransactionOperation> operations)
            implements StoreRecord {
        public byte type() {
            return PREPARE_TRANSACTION;
        }

        public byte[] encode() {
            BinaryOutput out = new BinaryOutput(256).writeLong(order).writeInt(xid.formatId())
                    .writeBytes(xid.globalTransactionId()).writeBytes(xid.branchQualifier())
                    .writeInt(operations.size());
            for (TransactionOperation op : operations) {
                if (op instanceof TransactionOperation.QueueAdd add) {
                    out.writeByte(1).writeString(add.queue()).writeLong(add.sequence())
                            .writeBytes(MessageCodec.encode(add.message()));
                } else if (op instanceof TransactionOperation.QueueRemove remove) {
                    out.writeByte(2).writeString(remove.queue()).writeLong(remove.sequence());
                } else if (op instanceof TransactionOperation.TopicAdd add) {
                    out.writeByte(3).writeString(add.topic()).writeLong(add.sequence())
                            .writeInt(add.subscriptionKeys().size());
                    add.subscriptionKeys().forEach(out::writeString);
                    out.writeBytes(MessageCodec.encode(add.message()));
                } else if (op instanceof TransactionOperation.TopicAcknowledge ack) {
                    out.writeByte(4).writeString(ack.topic()).writeString(ack.subscriptionKey()).writeLong(ack.sequence());
                } else if (op instanceof TransactionOperation.RecordOutcome outcome) {
                    out.writeByte(5).writeString(outcome.key());
                }
            }
            return out.toByteArray();
        }
    }

    /** A prepared transaction is over (rolled back, or committed in the same journal transaction). */
    record ForgetTransaction(long order) implements StoreRecord {
        public byte type() {
            return FORGET_TRANSACTION;
        }

        public byte[] encode() {
            return new BinaryOutput(8).writeLong(order).toByteArray();
        }
    }

    /**
     * A live message rewritten forward by compaction, with its state at that moment: delivery count
     * (queue) or each remaining subscription's claim and delivery count (topic).
     */
    record MoveMessage(long destinationId, long sequence, int deliveryCount, long[] subscriptionIds,
                       int[] deliveryCounts, byte[] message) implements StoreRecord {
        public byte type() {
            return MOVE_MESSAGE;
        }

        public byte[] encode() {
            BinaryOutput out = new BinaryOutput(24 + 12 * subscriptionIds.length + message.length)
                    .writeLong(destinationId).writeLong(sequence).writeInt(deliveryCount)
                    .writeInt(subscriptionIds.length);
            for (int i = 0; i < subscriptionIds.length; i++) {
                out.writeLong(subscriptionIds[i]).writeInt(deliveryCounts[i]);
            }
            return out.writeRaw(message).toByteArray();
        }
    }

    /**
     * Outcome keys of committed transactions: one, inside the commit's journal transaction; or many,
     * carried forward by cleanup before it deletes the journal file that held them.
     */
    record Outcomes(List<String> keys) implements StoreRecord {
        public byte type() {
            return OUTCOMES;
        }

        public byte[] encode() {
            BinaryOutput out = new BinaryOutput(16 + 40 * keys.size()).writeInt(keys.size());
            keys.forEach(out::writeString);
            return out.toByteArray();
        }
    }

    /**
     * Producers' highest stored sequences, carried forward by cleanup before it deletes the journal file
     * whose ADD_MESSAGE set them.
     */
    record ProducerMarks(List<String> producerIds, long[] highest) implements StoreRecord {
        public byte type() {
            return PRODUCER_MARKS;
        }

        public byte[] encode() {
            BinaryOutput out = new BinaryOutput(16 + 60 * producerIds.size()).writeInt(producerIds.size());
            for (int i = 0; i < highest.length; i++) {
                out.writeString(producerIds.get(i)).writeLong(highest[i]);
            }
            return out.toByteArray();
        }
    }

    /** How far a queue (subscription 0) or a durable subscription may have been dispatched; replaces the last. */
    record DispatchMark(long destinationId, long subscriptionId, long mark) implements StoreRecord {
        public byte type() {
            return DISPATCH_MARK;
        }

        public byte[] encode() {
            return new BinaryOutput(24).writeLong(destinationId).writeLong(subscriptionId).writeLong(mark)
                    .toByteArray();
        }
    }

    /** Decodes a payload of the given type; throws {@link CorruptRecordException} when it does not decode. */
    static StoreRecord decode(byte type, byte[] payload) {
        BinaryInput in = new BinaryInput(payload);
        try {
            return switch (type) {
                case CREATE_DESTINATION -> {
                    long id = in.readLong();
                    Address.Kind kind = Address.Kind.values()[in.readByte()];
                    long last = in.readLong();
                    yield new CreateDestination(id, kind, in.readString(), last);
                }
                case DROP_DESTINATION -> new DropDestination(in.readLong());
                case ADD_MESSAGE -> {
                    long dest = in.readLong();
                    long seq = in.readLong();
                    String producerId = in.readString();
                    long producerSequence = in.readLong();
                    int fingerprint = in.readInt();
                    long[] subs = new long[checkedCount(in.readInt(), in.remaining() / 8)];
                    for (int i = 0; i < subs.length; i++) {
                        subs[i] = in.readLong();
                    }
                    yield new AddMessage(dest, seq, producerId, producerSequence, fingerprint, subs, Arrays.copyOfRange(payload, in.position(), payload.length));
                }
                case REMOVE_MESSAGE -> new RemoveMessage(in.readLong(), in.readLong(), in.readLong());
                case DELIVERY_COUNT -> new DeliveryCount(in.readLong(), in.readLong(), in.readLong(), in.readInt());
                case CLEAR_QUEUE -> new ClearQueue(in.readLong());
                case ADD_SUBSCRIPTION -> {
                    long dest = in.readLong();
                    long sub = in.readLong();
                    String clientId = in.readString();
                    String name = in.readString();
                    String selector = in.readString();
                    boolean noLocal = in.readBoolean();
                    yield new AddSubscription(dest, sub, new SubscriptionInfo(clientId, name, selector, noLocal,
                            in.readBoolean()));
                }
                case DROP_SUBSCRIPTION -> new DropSubscription(in.readLong(), in.readLong());
                case PREPARE_TRANSACTION -> decodePrepare(in);
                case FORGET_TRANSACTION -> new ForgetTransaction(in.readLong());
                case MOVE_MESSAGE -> {
                    long dest = in.readLong();
                    long seq = in.readLong();
                    int count = in.readInt();
                    int n = checkedCount(in.readInt(), in.remaining() / 12);
                    long[] subs = new long[n];
                    int[] counts = new int[n];
                    for (int i = 0; i < n; i++) {
                        subs[i] = in.readLong();
                        counts[i] = in.readInt();
                    }
                    yield new MoveMessage(dest, seq, count, subs, counts,
                            Arrays.copyOfRange(payload, in.position(), payload.length));
                }
                case OUTCOMES -> {
                    int n = checkedCount(in.readInt(), in.remaining() / 4);
                    List<String> keys = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        keys.add(java.util.Objects.requireNonNull(in.readString()));
                    }
                    yield new Outcomes(keys);
                }
                case PRODUCER_MARKS -> {
                    int n = checkedCount(in.readInt(), in.remaining() / 12);
                    List<String> ids = new ArrayList<>(n);
                    long[] highest = new long[n];
                    for (int i = 0; i < n; i++) {
                        ids.add(java.util.Objects.requireNonNull(in.readString()));
                        highest[i] = in.readLong();
                    }
                    yield new ProducerMarks(ids, highest);
                }
                case DISPATCH_MARK -> new DispatchMark(in.readLong(), in.readLong(), in.readLong());
                default -> throw new CorruptRecordException("unknown store record type " + type);
            };
        } catch (ArrayIndexOutOfBoundsException | NullPointerException | IllegalArgumentException e) {
            throw new CorruptRecordException("store record of type " + type + " does not decode: " + e, e);
        }
    }

    /**
     * The message inside an ADD_MESSAGE or MOVE_MESSAGE payload, decoded with the codec and keeping its
     * encoding cached, without decoding the rest of the record.
     */
    static MessageSnapshot messageOf(byte type, byte[] payload) throws MalformedMessageException {
        return MessageCodec.decode(messageBytesOf(type, payload));
    }

    /** The encoded message inside an ADD_MESSAGE or MOVE_MESSAGE payload. */
    static byte[] messageBytesOf(byte type, byte[] payload) {
        BinaryInput in = new BinaryInput(payload);
        in.readLong();
        in.readLong();
        int skip;
        if (type == ADD_MESSAGE) {
            in.readString();
            in.readLong();
            in.readInt();
            skip = 8 * in.readInt();
        } else if (type == MOVE_MESSAGE) {
            in.readInt();
            skip = 12 * in.readInt();
        } else {
            throw new CorruptRecordException("record type " + type + " holds no message");
        }
        int start = in.position() + skip;
        if (skip < 0 || start > payload.length) {
            throw new CorruptRecordException("message record of type " + type + " is cut short");
        }
        return Arrays.copyOfRange(payload, start, payload.length);
    }

    private static PrepareTransaction decodePrepare(BinaryInput in) {
        long order = in.readLong();
        GlobalTransactionId xid = new GlobalTransactionId(in.readInt(), in.readBytes(), in.readBytes());
        int n = checkedCount(in.readInt(), in.remaining());
        List<TransactionOperation> ops = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                int tag = in.readByte();
                switch (tag) {
                    case 1 -> {
                        String queue = in.readString();
                        long seq = in.readLong();
                        ops.add(new TransactionOperation.QueueAdd(queue, seq, MessageCodec.decode(in.readBytes())));
                    }
                    case 2 -> ops.add(new TransactionOperation.QueueRemove(in.readString(), in.readLong()));
                    case 3 -> {
                        String topic = in.readString();
                        long seq = in.readLong();
                        int keys = checkedCount(in.readInt(), in.remaining() / 4);
                        List<String> subscriptionKeys = new ArrayList<>(keys);
                        for (int k = 0; k < keys; k++) {
                            subscriptionKeys.add(in.readString());
                        }
                        ops.add(new TransactionOperation.TopicAdd(topic, seq, MessageCodec.decode(in.readBytes()),
                                subscriptionKeys));
                    }
                    case 4 -> ops.add(new TransactionOperation.TopicAcknowledge(in.readString(), in.readString(),
                            in.readLong()));
                    case 5 -> ops.add(new TransactionOperation.RecordOutcome(in.readString()));
                    default -> throw new CorruptRecordException("unknown transaction operation tag " + tag);
                }
            }
        } catch (MalformedMessageException e) {
            throw new CorruptRecordException("a prepared transaction holds a message that does not decode: "
                    + e.getMessage(), e);
        }
        return new PrepareTransaction(order, xid, ops);
    }

    private static int checkedCount(int count, int atMost) {
        if (count < 0 || count > atMost) {
            throw new CorruptRecordException("implausible count " + count + " (at most " + atMost + " fit)");
        }
        return count;
    }
}
