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
 * A tcp proxy on a free loopback port in front of a broker, for failover tests. What it does to the
 * connections already through it: {@link #cut()} closes them (both ends, as a failure both sides see);
 * {@link #dropReplies()} or {@link #dropCommands()} swallow one direction, so a command reaches the broker but
 * its reply never comes back, or the command itself is lost; {@link #partition()} swallows both and keeps
 * the broker's end open whatever the client does, as a network partition would, so the broker notices only
 * after its inactivity timeout. New connections are always forwarded normally.
 *
 * <p>Threads: one accepting thread and two pumping threads per connection; each connection's flags are
 * volatile.
 */
final class CuttableProxy implements AutoCloseable {

    /** One client connection and the proxy's connection to the broker for it. */
    private static final class Pair {
        final Socket client;
        final Socket broker;
        volatile boolean dropReplies;
        volatile boolean dropCommands;
        volatile boolean holdBrokerOpen;

        Pair(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }
    }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Pair> pairs = new ArrayList<>();
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

    private List<Pair> current() {
        synchronized (pairs) {
            return new ArrayList<>(pairs);
        }
    }

    /** What the broker writes on the current connections is swallowed (the client never reads the replies). */
    void dropReplies() {
        current().forEach(p -> p.dropReplies = true);
    }

    /** What the client writes on the current connections is swallowed (the broker never reads the commands). */
    void dropCommands() {
        current().forEach(p -> p.dropCommands = true);
    }

    /** Nothing passes on the current connections any more, and their broker ends stay open until {@link #close}. */
    void partition() {
        current().forEach(p -> {
            p.holdBrokerOpen = true;
            p.dropReplies = true;
            p.dropCommands = true;
        });
    }

    /** Closes the current connections at both ends (except broker ends held open by a partition). */
    void cut() {
        for (Pair p : current()) {
            closeQuietly(p.client);
            if (!p.holdBrokerOpen) {
                closeQuietly(p.broker);
            }
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
                Pair pair = new Pair(client, broker);
                synchronized (pairs) {
                    pairs.add(pair);
                }
                pump(pair, true);
                pump(pair, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Pair pair, boolean toBroker) {
        Socket from = toBroker ? pair.client : pair.broker;
        Socket to = toBroker ? pair.broker : pair.client;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (toBroker ? pair.dropCommands : pair.dropReplies) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other pump or a cut closed the sockets
            } finally {
                closeQuietly(pair.client);
                if (!pair.holdBrokerOpen) {
                    closeQuietly(pair.broker);
                }
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
        for (Pair p : current()) {
            closeQuietly(p.client);
            closeQuietly(p.broker);
        }
    }
}
