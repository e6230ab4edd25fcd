#!/bin/sh
# Builds broker-core, the stores and the benchmarks module, then runs every scenario against every broker, each in
# its own child JVM, and writes benchmarks/results/. Arguments go to BenchmarkRun (--help lists them).
#   benchmarks/run-benchmarks.sh                 the full run (15-20 minutes on 2 cores)
#   benchmarks/run-benchmarks.sh --short         smoke run with tiny counts (a minute or two)
# MVN overrides the Maven command (e.g. MVN="mvn -o"); SKIP_BUILD=1 runs what was built last.
set -eu
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    ${MVN:-mvn} -q -pl benchmarks -am package -DskipTests
fi
CLASSPATH_FILE=benchmarks/target/classes/io/tern/benchmarks/runtime-classpath.txt
exec java -cp "benchmarks/target/classes:$(cat "$CLASSPATH_FILE")" io.tern.benchmarks.BenchmarkRun "$@"
