package io.tern.broker;

import io.tern.store.ActivationListener;
import io.tern.store.TransactionOperation;
import io.tern.store.TransactionStore;
import io.tern.store.memory.MemoryPersistenceAdapter;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answers to "did my commit apply?", their finality, and the bound on what is remembered. */
class TransactionOutcomesTest {

    private final MemoryPersistenceAdapter adapter = new MemoryPersistenceAdapter();
    private final MutableClock clock = new MutableClock();
    private TransactionStore store;

    @BeforeEach
    void start() throws Exception {
        adapter.start(ActivationListener.NONE);
        store = adapter.transactionStore();
    }

    @AfterEach
    void stop() throws Exception {
        adapter.stop();
    }

    @Test
    void aCommittedKeyIsAnsweredYesAndCannotBeUsedAgain() throws Exception {
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000);
        outcomes.claim("k1");
        outcomes.committed("k1");
        assertTrue(outcomes.wasCommitted("k1"));
        assertThrows(jakarta.jms.IllegalStateException.class, () -> outcomes.claim("k1"));
    }

    @Test
    void aNoIsFinalAndRefusesALateCommit() throws Exception {
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000);
        assertFalse(outcomes.wasCommitted("never-arrived"));
        assertThrows(TransactionRolledBackException.class, () -> outcomes.claim("never-arrived"));
        assertFalse(outcomes.wasCommitted("never-arrived"));
    }

    @Test
    void anAbandonedCommitFreesItsKey() throws Exception {
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000);
        outcomes.claim("k");
        outcomes.abandoned("k");
        outcomes.claim("k");
        outcomes.committed("k");
        assertTrue(outcomes.wasCommitted("k"));
    }

    @Test
    void aQuestionWaitsForTheCommitInProgress() throws Exception {
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 5_000);
        outcomes.claim("slow");
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return outcomes.wasCommitted("slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(answer.isDone(), "answered while the commit was still in progress");
        outcomes.committed("slow");
        assertTrue(answer.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aKeyThisBrokerForgotIsLookedUpInTheStore() throws Exception {
        store.commit(List.of(new TransactionOperation.RecordOutcome("before-restart"))).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000);
        assertTrue(outcomes.wasCommitted("before-restart"));
    }

    @Test
    void memoryIsBoundedWhateverTheCommitRate() throws Exception {
        int kept = 100;
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000, kept);
        for (int i = 0; i < 10 * kept; i++) {
            outcomes.claim("c" + i);
            outcomes.committed("c" + i);
            assertFalse(outcomes.wasCommitted("r" + i));
        }
        // The newest committed keys and at most `kept` refused ones, although none is 10 minutes old.
        assertEquals(2 * kept, outcomes.size());
        assertTrue(outcomes.wasCommitted("c" + (10 * kept - 1)));
        assertThrows(TransactionRolledBackException.class, () -> outcomes.claim("r" + (10 * kept - 1)));
    }

    @Test
    void aRefusedKeyIsRememberedForTenMinutes() throws Exception {
        TransactionOutcomes outcomes = new TransactionOutcomes(store, clock, 1_000, 100);
        assertFalse(outcomes.wasCommitted("late"));
        clock.advance(TransactionOutcomes.REFUSED_FOR_MILLIS - 1_000);
        outcomes.claim("other");
        outcomes.committed("other");
        assertThrows(TransactionRolledBackException.class, () -> outcomes.claim("late"));
        clock.advance(2_000);
        outcomes.claim("another");
        outcomes.committed("another");
        assertEquals(2, outcomes.size(), "the refused key outlived its ten minutes");
    }
}
