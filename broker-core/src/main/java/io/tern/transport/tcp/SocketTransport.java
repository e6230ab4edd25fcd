package io.tern.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The socket implementation under Netty: native epoll where its library loads (Linux on x86_64 and
 * aarch64), Java NIO elsewhere. Event loops and channels must come from the same one.
 */
enum SocketTransport {
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Class<? extends Channel> channelClass() {
            return EpollSocketChannel.class;
        }
    },
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }

        @Override
        Class<? extends Channel> channelClass() {
            return NioSocketChannel.class;
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(SocketTransport.class);
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();

    abstract IoHandlerFactory ioHandlerFactory();

    abstract Class<? extends ServerChannel> serverChannelClass();

    abstract Class<? extends Channel> channelClass();

    /** Epoll when wanted and available, else NIO (saying once why epoll is not used). */
    static SocketTransport choose(boolean preferEpoll) {
        if (!preferEpoll) {
            return NIO;
        }
        if (Epoll.isAvailable()) {
            return EPOLL;
        }
        if (EXPLAINED.compareAndSet(false, true)) {
            LOG.info("Native epoll is not available ({}); tcp:// uses Java NIO",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
        return NIO;
    }
}
