package io.tern.transport.tcp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * The event loops of every tcp client connection in this JVM, one group per socket transport, made on first
 * use. Shared because a group per connection would cost a thread per connection; never shut down because its
 * threads are daemons that sleep when there is nothing to do, and a group that came and went with the last
 * connection would be rebuilt by the next. Thread-safe.
 */
final class ClientEventLoops {

    private static final Map<SocketTransport, EventLoopGroup> GROUPS = new EnumMap<>(SocketTransport.class);

    private ClientEventLoops() {
    }

    static synchronized EventLoopGroup group(SocketTransport transport) {
        return GROUPS.computeIfAbsent(transport, t -> new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("tern-tcp-client-" + t.name().toLowerCase(java.util.Locale.ROOT), true),
                t.ioHandlerFactory()));
    }
}
