package io.tern.transport.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tern.broker.Broker;
import io.tern.transport.TransportUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broker's {@code tcp://} connector: listens on one address and serves each accepted connection with a
 * {@link ServerChannelHandler}.
 *
 * <p><b>Threads.</b> One event-loop group (as many threads as cores) accepts and does all socket I/O. Broker
 * calls run on a pool of command threads that grows with the connections that have work at the same moment
 * and shrinks when they idle: a bounded pool could starve when many connections wait on the store at once
 * (acknowledgements and commits block until it completes), while each connection uses at most one thread at a
 * time, in order. {@link #close} is safe from any thread.
 */
public final class TcpTransportServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransportServer.class);
    static final String HANDLER_NAME = "connection";
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private final TcpSettings settings;
    private final EventLoopGroup group;
    private final ExecutorService commandPool;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;
    private final String boundUri;

    private TcpTransportServer(Broker broker, TcpSettings settings) {
        this.settings = settings;
        SocketTransport transport = SocketTransport.choose(settings.epoll());
        String prefix = "tern-" + broker.name() + "-tcp";
        group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory(prefix + "-io", true), transport.ioHandlerFactory());
        AtomicInteger threads = new AtomicInteger();
        commandPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, prefix + "-commands-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, settings.tcpNoDelay())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        FrameDecoder decoder = new FrameDecoder(settings.maxFrameSize());
                        ch.pipeline().addLast("frames", decoder);
                        ch.pipeline().addLast(HANDLER_NAME,
                                new ServerChannelHandler(broker, settings, decoder, commandPool));
                    }
                });
        if (settings.sendBufferSize() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.sendBufferSize());
        }
        if (settings.receiveBufferSize() > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, settings.receiveBufferSize());
        }
        ChannelFuture bound = bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDownThreads();
            Throwable cause = bound.cause();
            throw new UncheckedIOException("broker '" + broker.name() + "' cannot listen on " + settings.address()
                    + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
        }
        serverChannel = bound.channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        boundUri = TcpSettings.address(settings.host(), port);
        LOG.info("Broker {} listens on {} ({}, maxFrameSize {}, inactivityTimeout {} ms)", broker.name(), boundUri,
                transport.name().toLowerCase(java.util.Locale.ROOT), settings.maxFrameSize(),
                settings.inactivityTimeoutMillis());
    }

    /**
     * Starts listening as a {@code tcp://} connector URI says.
     *
     * @throws IllegalArgumentException for a bad URI or option, naming it
     * @throws UncheckedIOException when the address cannot be bound (in use, not local)
     */
    public static TcpTransportServer start(Broker broker, TransportUri uri) {
        return new TcpTransportServer(broker, TcpSettings.forServer(uri));
    }

    /** {@code tcp://host:port} with the port actually bound (so port 0 shows the one the system chose). */
    public String boundUri() {
        return boundUri;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Connections open on this connector. */
    public int connectionCount() {
        return channels.size();
    }

    public TcpSettings settings() {
        return settings;
    }

    /** Stops listening, closes every connection and stops the threads. Idempotent. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutDownThreads();
        LOG.info("Stopped listening on {}", boundUri);
    }

    private void shutDownThreads() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        commandPool.shutdown();
    }
}
