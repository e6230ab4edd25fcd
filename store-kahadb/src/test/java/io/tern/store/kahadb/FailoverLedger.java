package io.tern.store.kahadb;

import io.tern.jms.TransportListener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the failover clients did to each message, by the strict rule: a message counts as sent only once its
 * send (or the commit of its transaction) returned normally, and as consumed only once the acknowledgement
 * (or commit) covering it returned normally. Every delivery is recorded, so a message seen twice without
 * {@code JMSRedelivered} on the later delivery is caught however it was consumed. Each message keeps a short
 * history for the report of a failure.
 *
 * <p>Every worker thread writes here; all state is guarded by this object's monitor, except the resume
 * watch (atomics), which producers touch on every send.
 */
final class FailoverLedger {

    private static final int MAX_VIOLATIONS_KEPT = 20;

    private final Set<String> attempted = new HashSet<>();
    private final Set<String> sent = new HashSet<>();
    private final Set<String> sendFailed = new HashSet<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    private final Map<String, Integer> consumed = new HashMap<>();
    private final Set<String> consumeFailed = new HashSet<>();
    private final Set<String> drained = new HashSet<>();
    private final Map<String, StringBuilder> history = new HashMap<>();
    /** The kind of each message's last event, without worker or exception message: "ack-failed(JMSException)". */
    private final Map<String, String> lastEvent = new HashMap<>();
    private final Map<String, Integer> exceptions = new TreeMap<>();
    /** The first exception of each kind in {@link #exceptions}, with its message. */
    private final Map<String, String> exampleMessages = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private int violationCount;
    private long redeliveredDeliveries;
    private int applicationReconnects;
    private int interruptions;
    private int resumptions;

    /** nanoTime from which the next send that returns is the resumption; 0 when not watching. */
    private final AtomicLong resumeWatchFrom = new AtomicLong();
    private final AtomicLong resumedAt = new AtomicLong();

    synchronized void attempt(String uid) {
        attempted.add(uid);
        event(uid, "try", "try");
    }

    synchronized void sent(Collection<String> uids) {
        for (String uid : uids) {
            sent.add(uid);
            event(uid, "sent", "sent");
        }
        noteSendReturned();
    }

    /** The send or commit threw: the messages may or may not be on the queue; they do not count as sent. */
    synchronized void sendFailed(Collection<String> uids, String worker, Exception e) {
        for (String uid : uids) {
            sendFailed.add(uid);
            event(uid, "send-failed(" + e.getClass().getSimpleName() + ")",
                    "send-failed(" + describe(e) + ")");
        }
        exception(worker, "send/commit", e);
    }

    /** A consumer's receive returned this message. */
    synchronized void delivered(String worker, String uid, boolean redelivered) {
        if (redelivered) {
            redeliveredDeliveries++;
        }
        int n = deliveries.merge(uid, 1, Integer::sum);
        event(uid, "delivered", "to " + worker + (redelivered ? " R" : ""));
        if (!attempted.contains(uid)) {
            violation(worker + " received " + uid + ", which no producer sent");
        } else if (n > 1 && !redelivered) {
            violation(worker + " received " + uid + " for the " + n + "th time without JMSRedelivered; history: "
                    + history.get(uid));
        }
    }

    synchronized void consumed(String worker, Collection<String> uids) {
        for (String uid : uids) {
            consumed.merge(uid, 1, Integer::sum);
            event(uid, "acked", "acked by " + worker);
        }
    }

    /** The acknowledge or commit threw: the messages do not count as consumed and must come back. */
    synchronized void consumeFailed(String worker, Collection<String> uids, Exception e) {
        for (String uid : uids) {
            consumeFailed.add(uid);
            event(uid, "ack-failed(" + e.getClass().getSimpleName() + ")", "ack-failed by " + worker + "("
                    + describe(e) + ")");
        }
        exception(worker, "acknowledge/commit", e);
    }

    synchronized void drained(Collection<String> uids) {
        drained.addAll(uids);
        for (String uid : uids) {
            event(uid, "drained", "drained");
        }
    }

    synchronized void exception(String worker, String operation, Exception e) {
        String kind = worker.replaceAll("-?\\d+$", "") + " " + operation + ": " + e.getClass().getSimpleName();
        exceptions.merge(kind, 1, Integer::sum);
        exampleMessages.putIfAbsent(kind, describe(e));
    }

    /** The exception's type and message, and its cause's, short enough for a history. */
    private static String describe(Throwable e) {
        StringBuilder d = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        if (e.getCause() != null && e.getCause() != e) {
            d.append(" <- ").append(e.getCause().getClass().getSimpleName()).append(": ")
                    .append(e.getCause().getMessage());
        }
        return d.length() > 300 ? d.substring(0, 300) + "..." : d.toString();
    }

    /** A connection was lost for good (its ExceptionListener was called) and the worker opened a new one. */
    synchronized void applicationReconnect() {
        applicationReconnects++;
    }

    /** Counts the interruptions and resumptions of failover connections, for the report. */
    TransportListener transportListener() {
        return new TransportListener() {
            @Override
            public void transportInterrupted() {
                synchronized (FailoverLedger.this) {
                    interruptions++;
                }
            }

            @Override
            public void transportResumed() {
                synchronized (FailoverLedger.this) {
                    resumptions++;
                }
            }
        };
    }

    /** From now on, the first send that returns marks the resumption of traffic. */
    void watchResume() {
        resumedAt.set(0);
        resumeWatchFrom.set(System.nanoTime());
    }

    /** nanoTime at which the first send returned since {@link #watchResume}, or 0 if none yet. */
    long resumedAt() {
        return resumedAt.get();
    }

    /** Waits (up to a minute) for the first send that returns since {@link #watchResume}; returns its nanoTime. */
    long awaitResume(String after) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (resumedAt.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no send returned within 60 s after " + after + "; " + summary());
            }
            Thread.sleep(1);
        }
        return resumedAt.get();
    }

    /** Waits (up to a minute) until {@code count} messages count as sent. */
    void awaitSent(int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sentCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; " + summary());
            }
            Thread.sleep(5);
        }
    }

    private void noteSendReturned() {
        if (resumeWatchFrom.get() != 0 && resumedAt.get() == 0) {
            resumedAt.compareAndSet(0, System.nanoTime());
        }
    }

    synchronized int sentCount() {
        return sent.size();
    }

    synchronized int consumedCount() {
        return consumed.size();
    }

    /** Sent messages neither consumed nor drained, each with its history. */
    synchronized List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String uid : new TreeSet<>(sent)) {
            if (!consumed.containsKey(uid) && !drained.contains(uid)) {
                missing.add(uid + " [" + history.get(uid) + "]");
            }
        }
        return missing;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized int violationCount() {
        return violationCount;
    }

    synchronized int applicationReconnects() {
        return applicationReconnects;
    }

    /**
     * The promises: nothing sent is missing, nothing was seen twice without JMSRedelivered (nor seen without
     * being sent), and, through failover, no connection was lost. {@code context} (the seed...) goes into
     * every failure message.
     */
    synchronized void assertPromisesKept(String context, boolean failover) {
        if (sent.isEmpty() || consumed.isEmpty()) {
            throw new AssertionError(context + ": too little traffic to mean anything; " + summary());
        }
        List<String> problems = new ArrayList<>();
        if (violationCount > 0) {
            problems.add(violationCount + " deliveries broke the JMSRedelivered rule; the first "
                    + violations.size() + ":\n    " + String.join("\n    ", violations));
        }
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " sent messages were neither consumed nor drained (by what happened to"
                    + " them last: " + lastEventsOf(missing) + "); the first "
                    + Math.min(MAX_VIOLATIONS_KEPT, missing.size()) + ", with what happened to each:\n    "
                    + String.join("\n    ", missing.subList(0, Math.min(MAX_VIOLATIONS_KEPT, missing.size()))));
        }
        if (failover && applicationReconnects > 0) {
            problems.add(applicationReconnects + " times a failover connection was lost (its ExceptionListener"
                    + " called) and the application had to open a new one");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(context + ": " + String.join("\n", problems) + "\n" + summary());
        }
    }

    /** How many of the given messages (as listed by {@link #missing}) ended with each kind of event. */
    private Map<String, Integer> lastEventsOf(List<String> listed) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String m : listed) {
            counts.merge(lastEvent.get(m.substring(0, m.indexOf(' '))), 1, Integer::sum);
        }
        return counts;
    }

    synchronized String summary() {
        long seenTwice = deliveries.values().stream().filter(n -> n > 1).count();
        long consumedTwice = consumed.values().stream().filter(n -> n > 1).count();
        long failedSendsArrived = sendFailed.stream().filter(deliveries::containsKey).count();
        long delivered = deliveries.values().stream().mapToLong(Integer::longValue).sum();
        return "attempted " + attempted.size() + ", sent " + sent.size() + ", send failed " + sendFailed.size()
                + " (of which " + failedSendsArrived + " arrived anyway), deliveries " + delivered
                + " (JMSRedelivered " + redeliveredDeliveries + "), messages seen more than once " + seenTwice
                + ", consumed " + consumed.size() + " (consumed twice " + consumedTwice + "), acknowledge/commit "
                + "failed for " + consumeFailed.size() + ", drained " + drained.size() + ", connections interrupted "
                + interruptions + " and resumed " + resumptions + " times, application reconnects "
                + applicationReconnects + ", violations " + violationCount + ", exceptions " + exceptions
                + "; the first of each kind: " + exampleMessages;
    }

    private void violation(String what) {
        violationCount++;
        if (violations.size() < MAX_VIOLATIONS_KEPT) {
            violations.add(what);
        }
    }

    private void event(String uid, String kind, String what) {
        lastEvent.put(uid, kind);
        StringBuilder h = history.computeIfAbsent(uid, u -> new StringBuilder());
        if (h.length() > 0) {
            h.append(", ");
        }
        h.append(what);
    }
}
