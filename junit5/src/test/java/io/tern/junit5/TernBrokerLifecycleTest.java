package io.tern.junit5;

import io.tern.broker.Broker;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What happens around the tests: when brokers start and stop. These run small scenario classes through
 * a JUnit launcher of their own and look at the brokers afterwards, which a test cannot do from inside.
 */
class TernBrokerLifecycleTest {

    /** Scenarios run only when launched from here, not when a build or an IDE finds them. */
    private static volatile boolean launchingScenario;

    static boolean launchingScenario() {
        return launchingScenario;
    }

    @Test
    void usingTheBrokerBeforeItStartsIsAClearError() {
        TernBroker notStarted = TernBroker.create();
        IllegalStateException e = assertThrows(IllegalStateException.class, notStarted::connectionFactory);
        assertTrue(e.getMessage().contains("no running broker"), e.getMessage());
        assertTrue(e.getMessage().contains("static blocks"), e.getMessage());
        assertThrows(IllegalStateException.class, notStarted::brokerUri);
        assertThrows(IllegalStateException.class, () -> notStarted.queueDepth("q"));
        assertThrows(IllegalStateException.class, () -> notStarted.sendText("q", "x"));
    }

    @Test
    void aStaticFieldSharesOneBrokerWithNestedClassesAndStopsItAfterTheClass() {
        SharedBrokerScenario.first = null;
        SharedBrokerScenario.second = null;

        TestExecutionSummary summary = launch(SharedBrokerScenario.class);

        assertEquals(2, summary.getTestsSucceededCount(), () -> failures(summary));
        assertNotNull(SharedBrokerScenario.first);
        assertSame(SharedBrokerScenario.first, SharedBrokerScenario.second,
                "the second nested class ran on the broker the first one used");
        assertFalse(SharedBrokerScenario.first.isStarted(), "afterAll stopped the broker");
        assertTrue(Broker.running(SharedBrokerScenario.first.name()).isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedBrokerScenario.broker.connectionFactory());
        assertTrue(e.getMessage().contains("after it stopped"), e.getMessage());
    }

    @Test
    void aPerTestBrokerStopsEvenWhenItsTestFails() {
        FailingTestScenario.used = null;

        TestExecutionSummary summary = launch(FailingTestScenario.class);

        assertEquals(1, summary.getTestsFailedCount(), () -> failures(summary));
        assertEquals("the test failed on purpose",
                summary.getFailures().get(0).getException().getMessage());
        assertNotNull(FailingTestScenario.used);
        assertFalse(FailingTestScenario.used.isStarted());
    }

    @Test
    void aPersistentBrokerKeepsItsDataInATemporaryDirectoryThatIsDeletedAfterwards() {
        PersistentScenario.directory = null;

        TestExecutionSummary summary = launch(PersistentScenario.class);

        assertEquals(1, summary.getTestsSucceededCount(), () -> failures(summary));
        assertNotNull(PersistentScenario.directory);
        assertFalse(Files.exists(PersistentScenario.directory), PersistentScenario.directory + " was deleted");
    }

    private static TestExecutionSummary launch(Class<?> scenario) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(scenario))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launchingScenario = true;
        try {
            launcher.execute(request, listener);
        } finally {
            launchingScenario = false;
        }
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        StringWriter out = new StringWriter();
        summary.printFailuresTo(new PrintWriter(out), 20);
        return out.toString();
    }

    // ---------------------------------------------------------------- scenarios

    @EnabledIf("io.tern.junit5.TernBrokerLifecycleTest#launchingScenario")
    @TestClassOrder(ClassOrderer.OrderAnnotation.class)
    static class SharedBrokerScenario {

        @RegisterExtension
        static TernBroker broker = TernBroker.create();

        static Broker first;
        static Broker second;

        @Nested
        @Order(1)
        class First {
            @Test
            void recordsTheBroker() {
                first = broker.broker();
            }
        }

        @Nested
        @Order(2)
        class Second {
            @Test
            void recordsTheBroker() {
                assertTrue(broker.broker().isStarted(), "the first nested class's afterAll left it running");
                second = broker.broker();
            }
        }
    }

    @EnabledIf("io.tern.junit5.TernBrokerLifecycleTest#launchingScenario")
    static class FailingTestScenario {

        @RegisterExtension
        TernBroker broker = TernBroker.create();

        static Broker used;

        @Test
        void fails() {
            used = broker.broker();
            throw new AssertionError("the test failed on purpose");
        }
    }

    @EnabledIf("io.tern.junit5.TernBrokerLifecycleTest#launchingScenario")
    static class PersistentScenario {

        // The memory store stands in for a file store here: the extension's part is the directory.
        @RegisterExtension
        TernBroker broker = TernBroker.create().persistent(true).configure(b -> b.storeType("memory", Map.of()));

        static Path directory;

        @Test
        void hasAnEmptyDirectoryOfItsOwn() throws Exception {
            assertTrue(broker.broker().isPersistent());
            directory = broker.dataDirectory().orElseThrow();
            assertTrue(Files.isDirectory(directory));
            Files.writeString(directory.resolve("some-store-file"), "data");
        }
    }
}
