package io.tern.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameCodec;
import io.tern.protocol.MalformedFrameException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A hand-driven peer on a plain blocking socket, for tests that must send what no real client sends (bad
 * magic, other versions, oversized or malformed frames) or behave as no real client does (fall silent).
 * One thread at a time.
 */
final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(15_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket("127.0.0.1", port));
    }

    /** A client Hello of the current version announcing the given inactivity timeout. */
    static Frame.Hello clientHello(int inactivityTimeoutMillis) {
        return new Frame.Hello(FrameCodec.MAJOR_VERSION, FrameCodec.MINOR_VERSION, inactivityTimeoutMillis,
                FrameCodec.DEFAULT_MAX_FRAME_SIZE, "raw-test-peer", null);
    }

    static byte[] encode(Frame frame) {
        ByteBuf buf = FrameCodec.encode(frame, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** Says Hello (not announcing heartbeats) and returns the broker's Hello. */
    Frame.Hello handshake() throws IOException {
        return handshake(0);
    }

    Frame.Hello handshake(int inactivityTimeoutMillis) throws IOException {
        send(clientHello(inactivityTimeoutMillis));
        return assertInstanceOf(Frame.Hello.class, read());
    }

    void send(Frame frame) throws IOException {
        sendRaw(encode(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame; fails the test on end of stream or after the read timeout. */
    Frame read() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        try {
            return FrameCodec.decode(Unpooled.wrappedBuffer(body));
        } catch (MalformedFrameException e) {
            throw new AssertionError("the broker sent a malformed frame", e);
        }
    }

    /** The next frame that is not a heartbeat or a delivery. */
    Frame readReply() throws IOException {
        while (true) {
            Frame f = read();
            if (!(f instanceof Frame.Heartbeat) && !(f instanceof Frame.Deliver)) {
                return f;
            }
        }
    }

    /** Reads the Error frame that ends the connection, then the end of the stream; returns the error. */
    Frame.Error expectErrorAndClose() throws IOException {
        Frame f;
        do {
            f = read();
        } while (f instanceof Frame.Heartbeat || f instanceof Frame.Deliver || f instanceof Frame.Ok);
        Frame.Error error = assertInstanceOf(Frame.Error.class, f);
        assertEquals(0, error.correlationId(), "an error that ends the connection names no command");
        expectEnd();
        return error;
    }

    /** Asserts that the broker closes the connection (within the read timeout), skipping what comes first. */
    void expectEnd() throws IOException {
        try {
            while (in.read() >= 0) {
                // skip whatever was still on its way
            }
        } catch (SocketTimeoutException e) {
            fail("the broker did not close the connection");
        } catch (EOFException | java.net.SocketException e) {
            // closed, possibly with a reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
