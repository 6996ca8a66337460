# Sourced by ./sluice and ./run-tests: sets JAVA_HOME to a JDK 25 (JAVA_HOME first, then /usr/lib/jvm/*25*).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if ! [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_major "$JAVA_HOME/bin/java")" == 25 ]]; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/*25*; do
    if [[ -x "$d/bin/java" && "$(java_major "$d/bin/java")" == 25 ]]; then JAVA_HOME="$d"; break; fi
  done
  if [[ -z "$JAVA_HOME" ]]; then
    echo "sluice: needs a JDK 25; set JAVA_HOME or install one under /usr/lib/jvm" >&2
    exit 1
  fi
fi
export JAVA_HOME
