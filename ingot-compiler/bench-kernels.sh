#!/usr/bin/env bash
# Runs a kernel benchmark main class (test scope) with the JIT flags Ingot uses. Examples:
#   ingot-compiler/bench-kernels.sh                                   # LinearBench: probe + all dtypes, 1..cores threads
#   ingot-compiler/bench-kernels.sh dev.ingot.kernel.bench.LinearBench Q8_0,Q4_0 matmul
#   ingot-compiler/bench-kernels.sh dev.ingot.kernel.bench.Int8VsFloatBench
#   ingot-compiler/bench-kernels.sh dev.ingot.kernel.bench.MemoryBandwidth 2048   # MiB
# Numbers are best-of-N; on a shared host run twice and compare.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root="$here/.."
JAVA_HOME=$("$root/bin/find-jdk"); export JAVA_HOME
(cd "$root" && ./mvnw -q -B -pl ingot-compiler test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2)
cp="$here/target/classes:$here/target/test-classes:$(cat "$here/target/bench.classpath")"
main=${1:-dev.ingot.kernel.bench.LinearBench}
shift || true
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g \
  -cp "$cp" "$main" "$@"
