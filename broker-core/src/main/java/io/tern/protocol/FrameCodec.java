package io.tern.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tern.store.GlobalTransactionId;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of each {@link Frame}, as {@code docs/protocol.md} specifies them: a 4-byte big-endian length
 * (of what follows it), a type byte, then the fields of that type. Integers are big-endian and of fixed
 * size; a string is an i32 byte count (-1 for null) and UTF-8; an id list is an i32 count and that many
 * i64; an address is a kind byte (1 queue, 2 topic, 3 temporary queue, 4 temporary topic) and its name.
 * Messages are in their {@link MessageCodec} encoding, which is reused as it is: a message encoded once
 * by its producer travels to the broker, its store and its consumers as the same bytes.
 *
 * <p>Decoding checks every length and count against the bytes that remain, so a malformed frame fails
 * with a {@link MalformedFrameException} and never with a large allocation. Stateless, so thread-safe.
 */
public final class FrameCodec {

    /** The four bytes "TERN" that open every Hello. */
    public static final int MAGIC = 0x5445524E;
    /** Peers refuse a Hello of any other major version. */
    public static final int MAJOR_VERSION = 1;
    /** Minor versions add only what an older peer of the same major can ignore. */
    public static final int MINOR_VERSION = 1;
    /** The first minor version with COMMIT_RECORDED, TX_OUTCOME and OUTCOME (transaction outcomes). */
    public static final int OUTCOME_MINOR_VERSION = 1;
    /** Bytes of the length prefix of every frame. */
    public static final int LENGTH_FIELD_SIZE = 4;
    /** The largest frame (type byte and body) a peer accepts unless configured otherwise: 100 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 100 * 1024 * 1024;

    private static final int NULL_LENGTH = -1;

    private FrameCodec() {
    }

    /**
     * The whole frame, length prefix included, ready to write. Message bytes are wrapped, not copied, so
     * the caller must not change them (nobody does: encodings are shared read-only).
     */
    public static ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        out.writeInt(0); // the length, set below
        out.writeByte(frame.type().code());
        byte[] tail = null;
        switch (frame.type()) {
            case HELLO -> {
                Frame.Hello h = (Frame.Hello) frame;
                out.writeInt(MAGIC);
                out.writeShort(h.majorVersion());
                out.writeShort(h.minorVersion());
                out.writeInt(h.inactivityTimeoutMillis());
                out.writeInt(h.maxFrameSize());
                writeString(out, h.peerName());
                writeString(out, h.connectionId());
            }
            case HEARTBEAT -> {
            }
            case ERROR -> {
                Frame.Error e = (Frame.Error) frame;
                out.writeLong(e.correlationId());
                writeString(out, e.exceptionType());
                writeString(out, e.errorCode());
                writeString(out, e.message());
            }
            case OK -> out.writeLong(((Frame.Ok) frame).correlationId());
            case DELIVERY -> {
                Frame.Deliver d = (Frame.Deliver) frame;
                out.writeLong(d.consumerId());
                out.writeLong(d.deliveryId());
                out.writeInt(d.deliveryCount());
                tail = d.message();
            }
            case BROWSE_CHUNK -> {
                Frame.BrowseChunk c = (Frame.BrowseChunk) frame;
                out.writeLong(c.correlationId());
                out.writeInt(c.messages().size());
                for (byte[] m : c.messages()) {
                    out.writeInt(m.length);
                    out.writeBytes(m);
                }
            }
            case PREPARED -> {
                Frame.Prepared p = (Frame.Prepared) frame;
                out.writeLong(p.correlationId());
                out.writeByte(p.prepared() ? 1 : 0);
            }
            case PREPARED_LIST -> {
                Frame.PreparedList p = (Frame.PreparedList) frame;
                out.writeLong(p.correlationId());
                out.writeInt(p.transactions().size());
                for (GlobalTransactionId xid : p.transactions()) {
                    writeXid(out, xid);
                }
            }
            case OUTCOME -> {
                Frame.Outcome o = (Frame.Outcome) frame;
                out.writeLong(o.correlationId());
                out.writeByte(o.committed() ? 1 : 0);
            }
            case SET_CLIENT_ID -> {
                Frame.SetClientId c = (Frame.SetClientId) frame;
                out.writeLong(c.correlationId());
                writeString(out, c.clientId());
            }
            case SEND -> {
                Frame.Send s = (Frame.Send) frame;
                out.writeLong(s.correlationId());
                out.writeLong(s.transactionId());
                tail = s.message();
            }
            case CHECK_DESTINATION -> {
                Frame.CheckDestination c = (Frame.CheckDestination) frame;
                out.writeLong(c.correlationId());
                writeAddress(out, c.address());
            }
            case ADD_CONSUMER -> {
                Frame.AddConsumer c = (Frame.AddConsumer) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.consumerId());
                writeAddress(out, c.address());
                writeString(out, c.selector());
                out.writeByte((c.noLocal() ? 1 : 0) | (c.durable() ? 2 : 0) | (c.shared() ? 4 : 0)
                        | (c.exclusive() ? 8 : 0));
                writeString(out, c.subscriptionName());
                out.writeInt(c.prefetch());
            }
            case ADD_CREDIT -> {
                Frame.AddCredit c = (Frame.AddCredit) frame;
                out.writeLong(c.consumerId());
                out.writeInt(c.messages());
            }
            case REMOVE_CONSUMER -> {
                Frame.RemoveConsumer c = (Frame.RemoveConsumer) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.consumerId());
            }
            case ACKNOWLEDGE -> {
                Frame.Acknowledge c = (Frame.Acknowledge) frame;
                out.writeLong(c.correlationId());
                writeIds(out, c.deliveryIds());
            }
            case RELEASE -> {
                Frame.Release c = (Frame.Release) frame;
                out.writeLong(c.correlationId());
                out.writeByte(c.seen() ? 1 : 0);
                writeIds(out, c.deliveryIds());
            }
            case COMMIT -> {
                Frame.Commit c = (Frame.Commit) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.transactionId());
                writeIds(out, c.acknowledged());
            }
            case ROLLBACK -> {
                Frame.Rollback c = (Frame.Rollback) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.transactionId());
                writeIds(out, c.seen());
            }
            case BROWSE -> {
                Frame.Browse c = (Frame.Browse) frame;
                out.writeLong(c.correlationId());
                writeAddress(out, c.queue());
                writeString(out, c.selector());
            }
            case CREATE_TEMPORARY -> {
                Frame.CreateTemporary c = (Frame.CreateTemporary) frame;
                out.writeLong(c.correlationId());
                writeAddress(out, c.address());
            }
            case DELETE_TEMPORARY -> {
                Frame.DeleteTemporary c = (Frame.DeleteTemporary) frame;
                out.writeLong(c.correlationId());
                writeAddress(out, c.address());
            }
            case UNSUBSCRIBE -> {
                Frame.Unsubscribe c = (Frame.Unsubscribe) frame;
                out.writeLong(c.correlationId());
                writeString(out, c.subscriptionName());
            }
            case CLOSE -> out.writeLong(((Frame.Close) frame).correlationId());
            case PREPARE -> {
                Frame.Prepare c = (Frame.Prepare) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.transactionId());
                writeXid(out, c.xid());
                writeIds(out, c.acknowledged());
            }
            case COMMIT_PREPARED -> {
                Frame.CommitPrepared c = (Frame.CommitPrepared) frame;
                out.writeLong(c.correlationId());
                writeXid(out, c.xid());
            }
            case ROLLBACK_PREPARED -> {
                Frame.RollbackPrepared c = (Frame.RollbackPrepared) frame;
                out.writeLong(c.correlationId());
                writeXid(out, c.xid());
            }
            case RECOVER_PREPARED -> out.writeLong(((Frame.RecoverPrepared) frame).correlationId());
            case COMMIT_RECORDED -> {
                Frame.CommitRecorded c = (Frame.CommitRecorded) frame;
                out.writeLong(c.correlationId());
                out.writeLong(c.transactionId());
                writeString(out, c.outcomeKey());
                writeIds(out, c.acknowledged());
            }
            case TX_OUTCOME -> {
                Frame.TxOutcome c = (Frame.TxOutcome) frame;
                out.writeLong(c.correlationId());
                writeString(out, c.outcomeKey());
            }
        }
        int tailLength = tail == null ? 0 : tail.length;
        out.setInt(0, out.readableBytes() - LENGTH_FIELD_SIZE + tailLength);
        if (tail == null) {
            return out;
        }
        CompositeByteBuf composite = alloc.compositeBuffer(2);
        composite.addComponents(true, out, Unpooled.wrappedBuffer(tail));
        return composite;
    }

    /**
     * Decodes one frame: its type byte and body, the length prefix already taken off.
     *
     * @throws MalformedFrameException naming the frame type and the field at fault
     */
    public static Frame decode(ByteBuf frame) throws MalformedFrameException {
        if (!frame.isReadable()) {
            throw new MalformedFrameException("empty frame: a frame has at least its type byte");
        }
        int code = frame.readUnsignedByte();
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new MalformedFrameException("unknown frame type " + code);
        }
        Reader in = new Reader(frame, type);
        Frame f = switch (type) {
            case HELLO -> {
                int magic = in.readInt("magic");
                if (magic != MAGIC) {
                    throw new MalformedFrameException(String.format("Hello has magic 0x%08X, not 0x%08X (\"TERN\"):"
                            + " the peer does not speak the Tern protocol", magic, MAGIC));
                }
                yield new Frame.Hello(in.readUnsignedShort("major version"), in.readUnsignedShort("minor version"),
                        in.readInt("inactivity timeout"), in.readInt("max frame size"), in.readString("peer name"),
                        in.readString("connection ID"));
            }
            case HEARTBEAT -> Frame.Heartbeat.INSTANCE;
            case ERROR -> new Frame.Error(in.readLong("correlation ID"), in.readName("exception type"),
                    in.readString("error code"), in.readString("message"));
            case OK -> new Frame.Ok(in.readLong("correlation ID"));
            case DELIVERY -> new Frame.Deliver(in.readLong("consumer ID"), in.readLong("delivery ID"),
                    in.readInt("delivery count"), in.readRest());
            case BROWSE_CHUNK -> {
                long correlationId = in.readLong("correlation ID");
                int count = in.readCount("message count", 4);
                List<byte[]> messages = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    messages.add(in.readSized("message " + i));
                }
                yield new Frame.BrowseChunk(correlationId, messages);
            }
            case PREPARED -> new Frame.Prepared(in.readLong("correlation ID"), in.readBoolean("prepared"));
            case PREPARED_LIST -> {
                long correlationId = in.readLong("correlation ID");
                // a transaction ID takes at least 12 bytes: format ID and two lengths
                int count = in.readCount("transaction count", 12);
                List<GlobalTransactionId> xids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    xids.add(in.readXid("transaction " + i));
                }
                yield new Frame.PreparedList(correlationId, xids);
            }
            case OUTCOME -> new Frame.Outcome(in.readLong("correlation ID"), in.readBoolean("committed"));
            case SET_CLIENT_ID -> new Frame.SetClientId(in.readLong("correlation ID"), in.readString("client ID"));
            case SEND -> new Frame.Send(in.readLong("correlation ID"), in.readLong("transaction ID"), in.readRest());
            case CHECK_DESTINATION -> new Frame.CheckDestination(in.readLong("correlation ID"),
                    in.readAddress("destination"));
            case ADD_CONSUMER -> {
                long correlationId = in.readLong("correlation ID");
                long consumerId = in.readLong("consumer ID");
                Address address = in.readAddress("destination");
                String selector = in.readString("selector");
                int flags = in.readUnsignedByte("flags");
                if ((flags & ~15) != 0) {
                    throw in.malformed("unknown flag bits 0x" + Integer.toHexString(flags & ~15));
                }
                yield new Frame.AddConsumer(correlationId, consumerId, address, selector, (flags & 1) != 0,
                        in.readString("subscription name"), (flags & 2) != 0, (flags & 4) != 0,
                        in.readInt("prefetch"), (flags & 8) != 0);
            }
            case ADD_CREDIT -> new Frame.AddCredit(in.readLong("consumer ID"), in.readInt("messages"));
            case REMOVE_CONSUMER -> new Frame.RemoveConsumer(in.readLong("correlation ID"),
                    in.readLong("consumer ID"));
            case ACKNOWLEDGE -> new Frame.Acknowledge(in.readLong("correlation ID"), in.readIds("delivery IDs"));
            case RELEASE -> {
                long correlationId = in.readLong("correlation ID");
                boolean seen = in.readBoolean("seen");
                yield new Frame.Release(correlationId, in.readIds("delivery IDs"), seen);
            }
            case COMMIT -> new Frame.Commit(in.readLong("correlation ID"), in.readLong("transaction ID"),
                    in.readIds("acknowledged delivery IDs"));
            case ROLLBACK -> new Frame.Rollback(in.readLong("correlation ID"), in.readLong("transaction ID"),
                    in.readIds("seen delivery IDs"));
            case BROWSE -> new Frame.Browse(in.readLong("correlation ID"), in.readAddress("queue"),
                    in.readString("selector"));
            case CREATE_TEMPORARY -> new Frame.CreateTemporary(in.readLong("correlation ID"),
                    in.readAddress("destination"));
            case DELETE_TEMPORARY -> new Frame.DeleteTemporary(in.readLong("correlation ID"),
                    in.readAddress("destination"));
            case UNSUBSCRIBE -> new Frame.Unsubscribe(in.readLong("correlation ID"),
                    in.readString("subscription name"));
            case CLOSE -> new Frame.Close(in.readLong("correlation ID"));
            case PREPARE -> new Frame.Prepare(in.readLong("correlation ID"), in.readLong("transaction ID"),
                    in.readXid("transaction"), in.readIds("acknowledged delivery IDs"));
            case COMMIT_PREPARED -> new Frame.CommitPrepared(in.readLong("correlation ID"), in.readXid("transaction"));
            case ROLLBACK_PREPARED -> new Frame.RollbackPrepared(in.readLong("correlation ID"),
                    in.readXid("transaction"));
            case RECOVER_PREPARED -> new Frame.RecoverPrepared(in.readLong("correlation ID"));
            case COMMIT_RECORDED -> new Frame.CommitRecorded(in.readLong("correlation ID"),
                    in.readLong("transaction ID"), in.readName("outcome key"), in.readIds("acknowledged delivery IDs"));
            case TX_OUTCOME -> new Frame.TxOutcome(in.readLong("correlation ID"), in.readName("outcome key"));
        };
        in.end();
        return f;
    }

    private static void writeString(ByteBuf out, String s) {
        if (s == null) {
            out.writeInt(NULL_LENGTH);
            return;
        }
        out.writeInt(ByteBufUtil.utf8Bytes(s));
        ByteBufUtil.writeUtf8(out, s);
    }

    private static void writeAddress(ByteBuf out, Address address) {
        out.writeByte(switch (address.kind()) {
            case QUEUE -> 1;
            case TOPIC -> 2;
            case TEMP_QUEUE -> 3;
            case TEMP_TOPIC -> 4;
        });
        writeString(out, address.name());
    }

    private static void writeXid(ByteBuf out, GlobalTransactionId xid) {
        out.writeInt(xid.formatId());
        byte[] global = xid.globalTransactionId();
        out.writeInt(global.length);
        out.writeBytes(global);
        byte[] branch = xid.branchQualifier();
        out.writeInt(branch.length);
        out.writeBytes(branch);
    }

    private static void writeIds(ByteBuf out, long[] ids) {
        out.writeInt(ids.length);
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    /** Reads one frame's fields front to back, checking each against what remains; not thread-safe. */
    private static final class Reader {
        private final ByteBuf in;
        private final FrameType type;

        Reader(ByteBuf in, FrameType type) {
            this.in = in;
            this.type = type;
        }

        MalformedFrameException malformed(String what) {
            return new MalformedFrameException("malformed " + type + " frame: " + what);
        }

        private void need(int n, String field) throws MalformedFrameException {
            if (in.readableBytes() < n) {
                throw malformed(field + " needs " + n + " bytes, " + in.readableBytes() + " left");
            }
        }

        int readUnsignedByte(String field) throws MalformedFrameException {
            need(1, field);
            return in.readUnsignedByte();
        }

        boolean readBoolean(String field) throws MalformedFrameException {
            int b = readUnsignedByte(field);
            if (b > 1) {
                throw malformed(field + " is " + b + ", not 0 or 1");
            }
            return b == 1;
        }

        int readUnsignedShort(String field) throws MalformedFrameException {
            need(2, field);
            return in.readUnsignedShort();
        }

        int readInt(String field) throws MalformedFrameException {
            need(4, field);
            return in.readInt();
        }

        long readLong(String field) throws MalformedFrameException {
            need(8, field);
            return in.readLong();
        }

        /** A count of items of at least {@code itemSize} bytes, checked against what remains. */
        int readCount(String field, int itemSize) throws MalformedFrameException {
            int count = readInt(field);
            if (count < 0 || (long) count * itemSize > in.readableBytes()) {
                throw malformed(field + " " + count + " does not fit in the " + in.readableBytes() + " bytes left");
            }
            return count;
        }

        long[] readIds(String field) throws MalformedFrameException {
            int count = readCount(field, 8);
            long[] ids = new long[count];
            for (int i = 0; i < count; i++) {
                ids[i] = in.readLong();
            }
            return ids;
        }

        byte[] readSized(String field) throws MalformedFrameException {
            int n = readCount(field + " length", 1);
            byte[] b = new byte[n];
            in.readBytes(b);
            return b;
        }

        byte[] readRest() {
            byte[] b = new byte[in.readableBytes()];
            in.readBytes(b);
            return b;
        }

        GlobalTransactionId readXid(String field) throws MalformedFrameException {
            int formatId = readInt(field + " format ID");
            byte[] global = readSized(field + " global ID");
            byte[] branch = readSized(field + " branch qualifier");
            return new GlobalTransactionId(formatId, global, branch);
        }

        String readName(String field) throws MalformedFrameException {
            String s = readString(field);
            if (s == null) {
                throw malformed(field + " is null");
            }
            return s;
        }

        String readString(String field) throws MalformedFrameException {
            int n = readInt(field + " length");
            if (n == NULL_LENGTH) {
                return null;
            }
            if (n < 0 || n > in.readableBytes()) {
                throw malformed(field + " length " + n + " does not fit in the " + in.readableBytes() + " bytes left");
            }
            int start = in.readerIndex();
            boolean ascii = true;
            for (int i = start; i < start + n && ascii; i++) {
                ascii = in.getByte(i) >= 0;
            }
            String s;
            if (ascii) {
                s = in.toString(start, n, StandardCharsets.ISO_8859_1);
            } else {
                ByteBuffer bytes = in.nioBuffer(start, n);
                try {
                    s = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(bytes).toString();
                } catch (CharacterCodingException e) {
                    throw malformed(field + " is not valid UTF-8");
                }
            }
            in.skipBytes(n);
            return s;
        }

        Address readAddress(String field) throws MalformedFrameException {
            int kind = readUnsignedByte(field + " kind");
            Address.Kind k = switch (kind) {
                case 1 -> Address.Kind.QUEUE;
                case 2 -> Address.Kind.TOPIC;
                case 3 -> Address.Kind.TEMP_QUEUE;
                case 4 -> Address.Kind.TEMP_TOPIC;
                default -> throw malformed("unknown kind " + kind + " of " + field);
            };
            return new Address(k, readName(field + " name"));
        }

        void end() throws MalformedFrameException {
            if (in.isReadable()) {
                throw malformed(in.readableBytes() + " unexpected bytes after the last field");
            }
        }
    }
}
