package io.tern.transport.tcp;

import io.tern.protocol.FrameCodec;
import io.tern.store.StoreSettings;
import io.tern.transport.TransportUri;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@code tcp://host:port?option=value&...} URI says, for a broker's connector or for a client.
 * Options (both sides unless noted):
 * <ul>
 *   <li>{@code maxFrameSize}: largest frame accepted, in bytes or with kb/mb/gb; default 100 MiB</li>
 *   <li>{@code inactivityTimeout}: ms of silence after which the peer counts as dead; 0 turns detection
 *       off; default 30000. Each side also tells its peer this value, and the peer sends a heartbeat
 *       whenever it has written nothing for a third of it.</li>
 *   <li>{@code tcpNoDelay}: default true</li>
 *   <li>{@code sendBufferSize}, {@code receiveBufferSize}: socket buffers (SO_SNDBUF, SO_RCVBUF);
 *       default the operating system's</li>
 *   <li>{@code epoll}: use native epoll where it loads (default true); false forces Java NIO</li>
 *   <li>{@code connectTimeout} (client only): ms to connect and complete the handshake; default 10000</li>
 *   <li>{@code sendWindowSize} (client only): bytes of sends that may wait for their receipts before a
 *       further send waits too; default 8mb</li>
 * </ul>
 * Unknown options and bad values are errors that name the option and what it accepts. Immutable.
 */
public record TcpSettings(String host, int port, int maxFrameSize, int inactivityTimeoutMillis, boolean tcpNoDelay,
                          int sendBufferSize, int receiveBufferSize, boolean epoll, int connectTimeoutMillis,
                          int sendWindowSize) {

    public static final int DEFAULT_PORT = 61616;
    public static final int DEFAULT_INACTIVITY_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_SEND_WINDOW_SIZE = 8 << 20;

    private static final Set<String> SHARED_OPTIONS = Set.of("maxFrameSize", "inactivityTimeout", "tcpNoDelay",
            "sendBufferSize", "receiveBufferSize", "epoll");

    /**
     * The settings of a broker's connector.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static TcpSettings forServer(TransportUri uri) {
        return parse(uri, false);
    }

    /**
     * The settings of a client connection; the connection factory's {@code jms.*} options must have been
     * removed already.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static TcpSettings forClient(TransportUri uri) {
        return parse(uri, true);
    }

    /** {@code tcp://host:port}, without options. */
    public String address() {
        return address(host, port);
    }

    static String address(String host, int port) {
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static TcpSettings parse(TransportUri uri, boolean client) {
        if (!uri.scheme().equals("tcp")) {
            throw new IllegalArgumentException("'" + uri.text() + "' is not a tcp:// URI");
        }
        URI parsed;
        try {
            parsed = new URI("tcp://" + uri.target());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + uri.text() + "': '" + uri.target()
                    + "' is not of the form host:port");
        }
        String host = parsed.getHost();
        if (host == null || host.isEmpty() || parsed.getPath() != null && !parsed.getPath().isEmpty()
                || parsed.getUserInfo() != null) {
            throw new IllegalArgumentException("'" + uri.text() + "': '" + uri.target()
                    + "' is not of the form host:port");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = parsed.getPort() < 0 ? DEFAULT_PORT : parsed.getPort();
        if (client && port == 0) {
            throw new IllegalArgumentException("'" + uri.text() + "': a client needs the broker's port, not 0");
        }
        Set<String> known = new TreeSet<>(SHARED_OPTIONS);
        if (client) {
            known.add("connectTimeout");
            known.add("sendWindowSize");
        }
        int maxFrameSize = FrameCodec.DEFAULT_MAX_FRAME_SIZE;
        int inactivity = DEFAULT_INACTIVITY_TIMEOUT_MILLIS;
        boolean noDelay = true;
        int sendBuffer = 0;
        int receiveBuffer = 0;
        boolean epoll = true;
        int connectTimeout = DEFAULT_CONNECT_TIMEOUT_MILLIS;
        int sendWindow = DEFAULT_SEND_WINDOW_SIZE;
        for (Map.Entry<String, String> option : uri.parameters().entrySet()) {
            String key = option.getKey();
            String value = option.getValue().trim();
            if (!known.contains(key)) {
                throw new IllegalArgumentException("'" + uri.text() + "': unknown option '" + key + "'; tcp:// "
                        + (client ? "clients accept " : "connectors accept ") + known);
            }
            switch (key) {
                case "maxFrameSize" -> maxFrameSize = size(uri, key, value, 64);
                case "inactivityTimeout" -> inactivity = millis(uri, key, value);
                case "tcpNoDelay" -> noDelay = bool(uri, key, value);
                case "sendBufferSize" -> sendBuffer = size(uri, key, value, 1);
                case "receiveBufferSize" -> receiveBuffer = size(uri, key, value, 1);
                case "epoll" -> epoll = bool(uri, key, value);
                case "sendWindowSize" -> sendWindow = size(uri, key, value, 1);
                case "connectTimeout" -> {
                    connectTimeout = millis(uri, key, value);
                    if (connectTimeout == 0) {
                        throw new IllegalArgumentException("'" + uri.text() + "': connectTimeout must be at least 1 ms");
                    }
                }
                default -> throw new AssertionError(key);
            }
        }
        return new TcpSettings(host, port, maxFrameSize, inactivity, noDelay, sendBuffer, receiveBuffer, epoll,
                connectTimeout, sendWindow);
    }

    private static int size(TransportUri uri, String key, String value, int min) {
        long n;
        try {
            n = StoreSettings.parseBytes(value);
        } catch (RuntimeException e) {
            n = -1;
        }
        if (n < min || n > Integer.MAX_VALUE - FrameCodec.LENGTH_FIELD_SIZE) {
            throw new IllegalArgumentException("'" + uri.text() + "': " + key + "='" + value + "' is not a size"
                    + " from " + min + " bytes to 2gb; expected bytes or a number with kb, mb or gb (100mb)");
        }
        return (int) n;
    }

    private static int millis(TransportUri uri, String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + uri.text() + "': " + key + "='" + value
                    + "' is not a whole number of milliseconds (0 or more)");
        }
    }

    private static boolean bool(TransportUri uri, String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + uri.text() + "': " + key + "='" + value
                    + "' is not a boolean; expected true or false");
        };
    }
}
