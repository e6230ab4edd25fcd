package io.tern.benchmarks;

import io.tern.benchmarks.scenario.Scenarios;
import io.tern.benchmarks.broker.Targets;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkOptionsTest {

    private static final Path OUT = Path.of("out");

    @Test
    void defaultsRunEverythingAtFullSize() {
        BenchmarkOptions options = BenchmarkOptions.parse(List.of(), OUT);
        assertEquals(BenchmarkOptions.FULL, options.workload());
        assertEquals(2, options.repeats());
        assertEquals(Targets.all(), options.targets());
        assertEquals(Scenarios.all(), options.scenarios());
    }

    @Test
    void explicitOptionsWinOverShortMode() {
        BenchmarkOptions options = BenchmarkOptions.parse(List.of("--short", "--messages=1_000", "--repeats=3"), OUT);
        assertEquals(1_000, options.workload().messages());
        assertEquals(BenchmarkOptions.SHORT.backlogMessages(), options.workload().backlogMessages());
        assertEquals(3, options.repeats());
    }

    @Test
    void selectionKeepsReportOrder() {
        BenchmarkOptions options = BenchmarkOptions.parse(
                List.of("--targets=artemis-nio,tern-memory", "--scenarios=persistent-backlog"), OUT);
        assertEquals(List.of("tern-memory", "artemis-nio"), options.targets().stream().map(t -> t.id()).toList());
        assertEquals(List.of("persistent-backlog"), options.scenarios().stream().map(s -> s.id()).toList());
    }

    @Test
    void errorsNameTheOptionAtFault() {
        assertMessageContains("--nonsense", List.of("--nonsense=1"));
        assertMessageContains("--messages", List.of("--messages=lots"));
        assertMessageContains("--repeats", List.of("--repeats=0"));
        assertMessageContains("unknown target 'rabbit'", List.of("--targets=rabbit"));
        assertMessageContains("expected --name=value", List.of("short"));
    }

    private static void assertMessageContains(String expected, List<String> args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkOptions.parse(args, OUT));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should name " + expected);
    }
}
