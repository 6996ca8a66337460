#!/usr/bin/env bash
# Runs the JMH benchmarks of the bench module: ./bench/jmh.sh [JMH options] [benchmark regex]
# Example: ./bench/jmh.sh -f 1 -wi 3 -i 5 AnalyzeBenchmark
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/jdk25.sh"
# package, not install: the reactor resolves sibling modules, nothing is written to ~/.m2
(cd "$root" && ./mvnw -q -B -pl bench -am package -DskipTests)
exec "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
  -cp "$root/bench/target/classes:$root/bench/target/lib/*" org.openjdk.jmh.Main "$@"
