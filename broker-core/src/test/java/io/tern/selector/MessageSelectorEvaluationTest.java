package io.tern.selector;

import static io.tern.selector.MessageSelectorSamples.A;
import static io.tern.selector.MessageSelectorSamples.B;
import static io.tern.selector.MessageSelectorSamples.C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.InvalidSelectorException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A compiled selector gives the same answers however often and from however many threads it is used. */
class MessageSelectorEvaluationTest {

    private static final String[] SELECTORS = {
        "color = 'red' AND weight > 10 AND region IN ('eu','us')",
        "name LIKE 'W%' OR label LIKE '50!%%' ESCAPE '!'",
        "(weight + price) * 2 BETWEEN 60 AND 80 AND NOT active = FALSE",
        "JMSPriority > 3 AND JMSDeliveryMode = 'PERSISTENT' AND JMSType IS NOT NULL",
        "missing = 1 OR big / 3 = 3000000000",
    };

    /** Whether each of {@link #SELECTORS} matches A, B and C. */
    private static final boolean[][] EXPECTED = {
        {true, false, false},
        {true, false, false},
        {true, false, false},
        {true, false, false},
        {true, false, false},
    };

    @Test
    void resultsDoNotChangeAcrossManyEvaluations() throws InvalidSelectorException {
        MessageSnapshot[] messages = {A, B, C};
        for (int s = 0; s < SELECTORS.length; s++) {
            MessageSelector selector = MessageSelector.parse(SELECTORS[s]);
            for (int i = 0; i < 30_000; i++) {
                int m = i % 3;
                assertEquals(EXPECTED[s][m], selector.matches(messages[m]), SELECTORS[s] + " on message " + m);
            }
        }
    }

    @Test
    void oneSelectorIsSharedByManyThreads() throws Exception {
        List<MessageSelector> selectors = new ArrayList<>();
        for (String s : SELECTORS) {
            selectors.add(MessageSelector.parse(s));
        }
        MessageSnapshot[] messages = {A, B, C};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                Callable<Integer> task = () -> {
                    int wrong = 0;
                    for (int i = 0; i < 50_000; i++) {
                        int s = (i + offset) % SELECTORS.length;
                        int m = (i / SELECTORS.length + offset) % 3;
                        if (selectors.get(s).matches(messages[m]) != EXPECTED[s][m]) {
                            wrong++;
                        }
                    }
                    return wrong;
                };
                results.add(pool.submit(task));
            }
            for (Future<Integer> result : results) {
                assertEquals(0, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void evaluationDoesNotAllocate() throws InvalidSelectorException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);

        for (String expression : SELECTORS) {
            MessageSelector selector = MessageSelector.parse(expression);
            int evaluations = 100_000;
            int matched = run(selector, evaluations); // warm up, so the thread's scratch state exists
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            matched += run(selector, evaluations);
            long after = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            double perEvaluation = (after - before) / (double) evaluations;
            assertTrue(perEvaluation < 0.5, expression + " allocated " + perEvaluation + " bytes per evaluation");
            int timesA = (evaluations + 2) / 3;
            assertEquals(2 * timesA, matched, "A matches each of these selectors, B and C do not");
        }
    }

    /** Evaluates against A, B and C in turn; returns how many matched. */
    private static int run(MessageSelector selector, int evaluations) {
        MessageSnapshot[] messages = {A, B, C};
        int matched = 0;
        for (int i = 0; i < evaluations; i++) {
            if (selector.matches(messages[i % 3])) {
                matched++;
            }
        }
        return matched;
    }
}
