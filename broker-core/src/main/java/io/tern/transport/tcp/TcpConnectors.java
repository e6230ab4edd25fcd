package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.transport.TransportUri;
import jakarta.jms.JMSException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The transport connectors of a running broker, as its configuration lists them: each {@code tcp://} one
 * listens (see {@link TcpTransportServer}); a {@code vm://} one needs nothing, since in-JVM clients find the
 * broker by name. Made at broker start, closed at stop. Not thread-safe: the broker's lifecycle monitor
 * guards it.
 */
public final class TcpConnectors implements AutoCloseable {

    private final List<TcpTransportServer> servers;
    private final List<String> boundUris;

    private TcpConnectors(List<TcpTransportServer> servers, List<String> boundUris) {
        this.servers = servers;
        this.boundUris = boundUris;
    }

    /**
     * Checks a connector URI when a broker is built.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void validate(String uri) {
        TransportUri parsed = parse(uri);
        if (parsed.scheme().equals("tcp")) {
            TcpSettings.forServer(parsed);
        } else if (!parsed.scheme().equals("vm")) {
            throw new IllegalArgumentException("'" + uri + "' is not supported; connectors are tcp:// or vm://");
        }
    }

    /**
     * Starts listening on every {@code tcp://} connector; if one fails, those already listening are closed.
     *
     * @throws java.io.UncheckedIOException when an address cannot be bound
     */
    public static TcpConnectors open(Broker broker, List<String> uris) {
        List<TcpTransportServer> servers = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        try {
            for (String uri : uris) {
                TransportUri parsed = parse(uri);
                if (parsed.scheme().equals("tcp")) {
                    TcpTransportServer server = TcpTransportServer.start(broker, parsed);
                    servers.add(server);
                    bound.add(server.boundUri());
                } else {
                    bound.add(uri);
                }
            }
        } catch (RuntimeException e) {
            servers.forEach(TcpTransportServer::close);
            throw e;
        }
        return new TcpConnectors(List.copyOf(servers), Collections.unmodifiableList(bound));
    }

    /** The connectors' URIs, a tcp:// one with the port it is bound to. */
    public List<String> boundUris() {
        return boundUris;
    }

    /** Stops listening and closes every tcp connection. */
    @Override
    public void close() {
        servers.forEach(TcpTransportServer::close);
    }

    private static TransportUri parse(String uri) {
        try {
            return TransportUri.parse(uri);
        } catch (JMSException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
