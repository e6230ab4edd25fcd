package io.tern.transport.tcp;

import io.tern.broker.Broker;
import io.tern.protocol.Address;
import io.tern.protocol.Frame;
import io.tern.protocol.FrameType;
import io.tern.protocol.MessageCodec;
import io.tern.protocol.MessageSnapshot;
import io.tern.store.GlobalTransactionId;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static io.tern.transport.tcp.TcpTestSupport.RECEIVE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throws over 100,000 random, mutated and garbage frames at a broker from raw sockets, then checks that it
 * cleaned up every one of those connections and still serves a normal client. Random commands with valid
 * framing mostly run (creating consumers, sending, acknowledging unknown deliveries...) and get replies;
 * mutated and garbage frames should each close their own connection and nothing else.
 */
class TcpFuzzTest {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFuzzTest.class);
    private static final int FRAMES = 100_000;
    private static final int FUZZERS = 3;
    private static final long SEED = 20_251_125L;
    private static final String[] QUEUES = {"fz.a", "fz.b", "fz.c", "", "bad name", "x".repeat(300)};
    private static final String[] TOPICS = {"fz.t1", "fz.t2"};
    private static final String[] SELECTORS = {null, "n > 3", "color = 'red' OR n BETWEEN 1 AND 2", "n >", "))",
            "JMSPriority > 4"};

    /** What the fuzzers saw, for the check that the run was not vacuous. */
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong okReplies = new AtomicLong();
    private final AtomicLong errorReplies = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong closedByBroker = new AtomicLong();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theBrokerSurvivesGarbageAndKeepsServing() throws Exception {
        try (Broker broker = TcpTestSupport.startBroker(Broker.builder().name(TcpTestSupport.uniqueName("fuzz"))
                .persistent(false).memoryLimit(512L << 20), "inactivityTimeout=5000")) {
            int port = TcpTestSupport.port(broker);
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                List<Future<?>> fuzzers = new ArrayList<>();
                for (int i = 0; i < FUZZERS; i++) {
                    long seed = SEED + i;
                    fuzzers.add(pool.submit(() -> {
                        fuzz(port, new Random(seed), FRAMES / FUZZERS + 1, pool);
                        return null;
                    }));
                }
                for (Future<?> f : fuzzers) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            LOG.info("Fuzzing: {} frames on {} connections; {} Ok, {} Error, {} deliveries; {} connections closed",
                    framesSent.get(), connections.get(), okReplies.get(), errorReplies.get(), deliveries.get(),
                    closedByBroker.get());
            assertTrue(framesSent.get() >= FRAMES, "sent " + framesSent.get());
            assertTrue(okReplies.get() > 1000, "valid random commands ran: " + okReplies.get());
            assertTrue(errorReplies.get() > 100, "invalid ones were refused: " + errorReplies.get());
            assertTrue(closedByBroker.get() > 100, "garbage closed connections: " + closedByBroker.get());

            TcpTestSupport.await("every fuzz connection to be cleaned up", () -> broker.connectionCount() == 0);
            try (Connection c = TcpTestSupport.factory(broker).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue q = s.createQueue("after-the-storm");
                Topic t = s.createTopic("after-the-storm");
                MessageConsumer qc = s.createConsumer(q);
                MessageConsumer tc = s.createConsumer(t);
                s.createProducer(q).send(s.createTextMessage("queue ok"));
                s.createProducer(t).send(s.createTextMessage("topic ok"));
                TextMessage fromQueue = (TextMessage) qc.receive(RECEIVE_TIMEOUT);
                assertNotNull(fromQueue);
                assertEquals("queue ok", fromQueue.getText());
                TextMessage fromTopic = (TextMessage) tc.receive(RECEIVE_TIMEOUT);
                assertNotNull(fromTopic);
                assertEquals("topic ok", fromTopic.getText());
            }
        }
    }

    /** Runs connection after connection until {@code frames} frames went out. */
    private void fuzz(int port, Random random, int frames, ExecutorService pool) throws Exception {
        int sent = 0;
        while (sent < frames) {
            sent += session(port, random, frames - sent, pool);
        }
    }

    /**
     * One connection: usually a Hello, then batches of random commands, until one batch ends with a mutated or
     * garbage frame (a third of them do) or the session has had its share. Then a Close, and we read until the
     * broker hangs up: after the replies to everything before, or at once when the bad frame broke the
     * protocol. A bad frame that declares more bytes than follow it would keep the broker waiting for them, so
     * then, or when the broker neither closes nor answers soon, we hang up ourselves. The random commands never
     * break the protocol, so every frame before a bad one was carried out.
     */
    private int session(int port, Random random, int budget, ExecutorService pool) throws Exception {
        connections.incrementAndGet();
        int sent = 0;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoLinger(true, 0);
            Future<?> reader = pool.submit(() -> drain(socket));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            int length = 1 + random.nextInt(400);
            try {
                boolean badHello = random.nextInt(20) == 0;
                out.write(badHello ? mutate(RawPeer.encode(RawPeer.clientHello(0)), random)
                        : RawPeer.encode(RawPeer.clientHello(random.nextBoolean() ? 0 : 5000)));
                sent++;
                boolean bad = badHello;
                boolean incomplete = false;
                while (!bad && sent < length && sent < budget) {
                    int batch = 1 + random.nextInt(40);
                    for (int i = 0; i < batch; i++) {
                        out.write(RawPeer.encode(randomCommand(random)));
                    }
                    sent += batch;
                    bad = random.nextInt(3) == 0;
                    if (bad) {
                        byte[] frame = badFrame(random);
                        incomplete = declaresMoreThanItHolds(frame);
                        out.write(frame);
                        sent++;
                    }
                    out.flush();
                }
                if (!incomplete) {
                    out.write(RawPeer.encode(new Frame.Close(1)));
                    out.flush();
                    try {
                        reader.get(bad ? 200 : 30_000, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException stillWaiting) {
                        // the bad frame left the broker waiting for more bytes
                    }
                }
                socket.shutdownOutput();
            } catch (IOException closedUnderUs) {
                // the broker closed the connection while we wrote: what the fuzzing is after
            }
            framesSent.addAndGet(sent);
            reader.get(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // reset by the broker
        }
        return sent;
    }

    /** Reads and counts whatever the broker sends until it closes the connection. */
    private void drain(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            while (true) {
                int length = in.readInt();
                int type = in.readUnsignedByte();
                FrameType t = FrameType.of(type);
                in.skipNBytes(length - 1);
                if (t == FrameType.OK) {
                    okReplies.incrementAndGet();
                } else if (t == FrameType.ERROR) {
                    errorReplies.incrementAndGet();
                } else if (t == FrameType.DELIVERY) {
                    deliveries.incrementAndGet();
                }
            }
        } catch (IOException e) {
            closedByBroker.incrementAndGet();
        }
    }

    private static boolean declaresMoreThanItHolds(byte[] frame) {
        int declared = ((frame[0] & 0xFF) << 24) | ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8)
                | (frame[3] & 0xFF);
        return declared > frame.length - 4;
    }

    /** A frame that breaks the protocol, or usually does: mutated, garbage, an undecodable message, too much credit. */
    private static byte[] badFrame(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> garbage(r);
            case 2 -> {
                byte[] junk = new byte[r.nextInt(40)];
                r.nextBytes(junk);
                yield RawPeer.encode(new Frame.Send(r.nextInt(1000), 0, junk));
            }
            case 3 -> RawPeer.encode(new Frame.AddCredit(r.nextInt(8), r.nextBoolean() ? r.nextInt() : 1000));
            default -> mutate(RawPeer.encode(randomCommand(r)), r);
        };
    }

    private static Frame.Command randomCommand(Random r) {
        long corr = 1 + r.nextInt(1000);
        long[] ids = randomIds(r);
        return switch (r.nextInt(19)) {
            case 0 -> new Frame.SetClientId(corr, r.nextBoolean() ? "fz-client-" + r.nextInt(3) : null);
            case 1, 2, 3 -> new Frame.Send(corr, r.nextInt(4) == 0 ? r.nextInt(3) : 0, randomMessage(r));
            case 4 -> new Frame.CheckDestination(corr, randomAddress(r));
            case 5, 6 -> new Frame.AddConsumer(corr, r.nextInt(8), randomAddress(r), pick(r, SELECTORS),
                    r.nextBoolean(), r.nextBoolean() ? "sub-" + r.nextInt(3) : null, r.nextInt(4) == 0,
                    r.nextInt(4) == 0, r.nextInt(10) - 1, r.nextInt(4) == 0);
            // credit for consumers that do not exist: the broker ignores it (too much for one that does is fatal)
            case 7 -> new Frame.AddCredit(100 + r.nextInt(8), 1 + r.nextInt(3));
            case 8 -> new Frame.RemoveConsumer(corr, r.nextInt(8));
            case 9 -> new Frame.Acknowledge(corr, ids);
            case 10 -> new Frame.Release(r.nextBoolean() ? 0 : corr, ids, r.nextBoolean());
            case 11 -> new Frame.Commit(corr, r.nextInt(3), ids);
            case 12 -> new Frame.Rollback(corr, r.nextInt(3), ids);
            case 13 -> new Frame.Browse(corr, r.nextInt(4) == 0 ? randomAddress(r) : Address.queue("fz.browsed"),
                    pick(r, SELECTORS));
            case 14 -> new Frame.CreateTemporary(corr, new Address(r.nextBoolean() ? Address.Kind.TEMP_QUEUE
                    : Address.Kind.TEMP_TOPIC, "fz-tmp-" + r.nextInt(4)));
            case 15 -> new Frame.DeleteTemporary(corr, new Address(Address.Kind.TEMP_QUEUE, "fz-tmp-" + r.nextInt(4)));
            case 16 -> new Frame.Unsubscribe(corr, r.nextBoolean() ? "sub-" + r.nextInt(3) : null);
            case 17 -> new Frame.Prepare(corr, r.nextInt(3), randomXid(r), ids);
            default -> r.nextBoolean() ? new Frame.CommitPrepared(corr, randomXid(r))
                    : new Frame.RecoverPrepared(corr);
        };
    }

    private static GlobalTransactionId randomXid(Random r) {
        return new GlobalTransactionId(r.nextInt(3), new byte[] {(byte) r.nextInt(4)}, new byte[r.nextInt(3)]);
    }

    private static long[] randomIds(Random r) {
        long[] ids = new long[r.nextInt(5)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(50);
        }
        return ids;
    }

    private static Address randomAddress(Random r) {
        int k = r.nextInt(10);
        if (k < 6) {
            return Address.queue(pick(r, QUEUES));
        }
        if (k < 9) {
            return Address.topic(pick(r, TOPICS));
        }
        return new Address(Address.Kind.TEMP_QUEUE, "fz-tmp-" + r.nextInt(4));
    }

    private static byte[] randomMessage(Random r) {
        MessageSnapshot m = MessageSnapshot.builder()
                .messageId("ID:fz-" + r.nextLong())
                // a few go to the browsed queue, which stays short so that browsing it stays cheap
                .destination(r.nextInt(50) == 0 ? Address.queue("fz.browsed") : randomAddress(r))
                .deliveryMode(r.nextBoolean() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT)
                .priority(r.nextInt(10))
                .expiration(r.nextInt(10) == 0 ? System.currentTimeMillis() - 1 : 0)
                .properties(Map.of("n", r.nextInt(6), "color", r.nextBoolean() ? "red" : "blue"))
                .body(MessageSnapshot.BodyType.TEXT, "x".repeat(r.nextInt(200)))
                .build();
        return MessageCodec.encode(m);
    }

    private static <T> T pick(Random r, T[] choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** A valid frame with one to three random changes: flipped bytes, a new length or type, cut or extended. */
    private static byte[] mutate(byte[] frame, Random r) {
        byte[] f = frame.clone();
        int changes = 1 + r.nextInt(3);
        for (int i = 0; i < changes; i++) {
            switch (r.nextInt(6)) {
                case 0 -> f[r.nextInt(f.length)] ^= (byte) (1 + r.nextInt(255));
                case 1 -> f[4] = (byte) r.nextInt(256);
                case 2 -> {
                    int length = r.nextBoolean() ? r.nextInt() : f.length - 4 + r.nextInt(9) - 4;
                    f[0] = (byte) (length >>> 24);
                    f[1] = (byte) (length >>> 16);
                    f[2] = (byte) (length >>> 8);
                    f[3] = (byte) length;
                }
                case 3 -> f = Arrays.copyOf(f, Math.max(5, f.length - 1 - r.nextInt(Math.max(1, f.length - 5))));
                case 4 -> {
                    int extra = 1 + r.nextInt(16);
                    byte[] longer = Arrays.copyOf(f, f.length + extra);
                    for (int j = f.length; j < longer.length; j++) {
                        longer[j] = (byte) r.nextInt(256);
                    }
                    f = longer;
                }
                default -> {
                    int at = 5 + r.nextInt(Math.max(1, f.length - 5));
                    if (at < f.length) {
                        f[at] = (byte) (r.nextBoolean() ? 0xFF : 0x7F);
                    }
                }
            }
        }
        return f;
    }

    /** Random bytes behind a random length, mostly small, sometimes absurd. */
    private static byte[] garbage(Random r) {
        byte[] body = new byte[r.nextInt(64)];
        r.nextBytes(body);
        int declared = r.nextInt(4) == 0 ? r.nextInt() : body.length;
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) (declared >>> 24);
        f[1] = (byte) (declared >>> 16);
        f[2] = (byte) (declared >>> 8);
        f[3] = (byte) declared;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }
}
