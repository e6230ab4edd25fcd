package io.tern.transport.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A tcp proxy on a free loopback port in front of a broker, for failover tests: {@link #cut()} closes every
 * connection through it (both ends, as a network failure seen by both sides would), and each direction can be
 * made to swallow what it carries, so a command reaches the broker but its reply never comes back, or the
 * command itself is lost. New connections are forwarded normally.
 *
 * <p>Threads: one accepting thread and two pumping threads per connection; the drop flags are volatile.
 */
final class CuttableProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean dropReplies;
    private volatile boolean dropCommands;
    private volatile boolean closed;

    CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on, what the broker writes is swallowed (the client never reads the replies). */
    void dropReplies() {
        dropReplies = true;
    }

    /** From now on, what the client writes is swallowed (the broker never reads the commands). */
    void dropCommands() {
        dropCommands = true;
    }

    /** Closes every connection through the proxy and forwards normally again. */
    void cut() {
        List<Socket> sockets;
        synchronized (open) {
            sockets = new ArrayList<>(open);
            open.clear();
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        dropReplies = false;
        dropCommands = false;
    }

    int connections() {
        synchronized (open) {
            return open.size() / 2;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket broker;
                try {
                    broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                synchronized (open) {
                    open.add(client);
                    open.add(broker);
                }
                pump(client, broker, true);
                pump(broker, client, false);
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean toBroker) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (toBroker ? dropCommands : dropReplies) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other pump or a cut closed the sockets
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }
}
