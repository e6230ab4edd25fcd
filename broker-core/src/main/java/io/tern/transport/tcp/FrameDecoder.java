package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.MalformedFrameException;

import java.util.List;

/**
 * Cuts the byte stream into frames by their 4-byte length prefix and passes each on as a buffer holding its
 * type byte and body. A length below 1 or above the limit fails the channel with a
 * {@link MalformedFrameException} that says so; after that every byte is discarded, since nothing that
 * follows can be framed. Until {@link #handshakeDone()} the limit is that of a Hello, so a peer that does not
 * speak the protocol is found out at its first bytes rather than after megabytes.
 *
 * <p>Owned by the channel's event loop, like every {@link ByteToMessageDecoder}.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /** Far more than any Hello needs (two short strings), far less than a frame limit. */
    static final int HELLO_LIMIT = 16 * 1024;

    private final int maxFrameSize;
    private int limit;
    private boolean failed;

    FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
        this.limit = Math.min(HELLO_LIMIT, maxFrameSize);
    }

    /** The Hello was accepted: frames may now be as large as the configured maximum. */
    void handshakeDone() {
        limit = maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws MalformedFrameException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_SIZE) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 1 || length > limit) {
            failed = true;
            String problem = problem(in, length);
            in.skipBytes(in.readableBytes());
            throw new MalformedFrameException(problem);
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_SIZE + length) {
            return;
        }
        in.skipBytes(FrameCodec.LENGTH_FIELD_SIZE);
        out.add(in.readRetainedSlice(length));
    }

    private String problem(ByteBuf in, int length) {
        if (length < 1) {
            return "frame length " + length + " is invalid: a frame holds at least its type byte";
        }
        if (limit < maxFrameSize) {
            int shown = Math.min(in.readableBytes(), 16);
            return "the first frame declares " + length + " bytes, more than a Hello can hold: the peer does not"
                    + " speak the Tern protocol (its first bytes are " + ByteBufUtil.hexDump(in, in.readerIndex(), shown)
                    + ")";
        }
        return "frame of " + Integer.toUnsignedString(length) + " bytes exceeds maxFrameSize " + maxFrameSize;
    }
}
