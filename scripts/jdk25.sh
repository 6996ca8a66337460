# Sourced by ./sluice and ./run-tests: sets JAVA_HOME to a JDK 25 (JAVA_HOME first, then /usr/lib/jvm/*25*).
# The version comes from the JDK's `release` file, so no JVM is started just to ask.
jdk_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
if ! [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(jdk_major "$JAVA_HOME")" == 25 ]]; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/*25*; do
    if [[ -x "$d/bin/java" && "$(jdk_major "$d")" == 25 ]]; then JAVA_HOME="$d"; break; fi
  done
  if [[ -z "$JAVA_HOME" ]]; then
    echo "sluice: needs a JDK 25; set JAVA_HOME or install one under /usr/lib/jvm" >&2
    exit 1
  fi
fi
export JAVA_HOME
