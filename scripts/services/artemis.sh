#!/usr/bin/env bash
# ActiveMQ Artemis 2.40 (AMQP 1.0) for the AMQP 1.0 tests, embedded, on
# 127.0.0.1:${ARTEMIS_PORT:-5673} (5672 is RabbitMQ's), from Maven Central jars (no Docker).
# Needs Java 17+ (java and javac) and, the first time, Maven.
#
#   bash scripts/services/artemis.sh start    # fetch jars and compile once, start, wait until it answers
#   bash scripts/services/artemis.sh status   # exit 0 when it answers
#   bash scripts/services/artemis.sh stop     # stop the broker this script started (its pid only)
#
# Sourced by scripts/services.sh, it defines artemis_start, artemis_stop and artemis_status.
# The broker is maven/artemis/TributaryArtemis.java: AMQP only, persistence and security off,
# addresses and queues created on first use, a message delivered ${ARTEMIS_MAX_DELIVERIES:-10}
# times goes to the queue DLQ. Everything lives in ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/artemis:
# lib/ (jars; lib/.complete holds the pom's checksum), classes/ (the compiled main),
# artemis.pid, artemis.log. Messages live in memory: a restart empties the queues.

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

ARTEMIS_HOME="$SERVICES_CACHE/artemis"
ARTEMIS_PORT="${ARTEMIS_PORT:-5673}"
ARTEMIS_MAX_DELIVERIES="${ARTEMIS_MAX_DELIVERIES:-10}"
ARTEMIS_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/maven/artemis"
ARTEMIS_MAIN=TributaryArtemis

_artemis_pid() { svc_pid "$ARTEMIS_HOME/artemis.pid" "$ARTEMIS_MAIN"; }

# compiles the main once (again when it or the jars changed)
_artemis_compile() {
  local sum
  sum="$(cat "$ARTEMIS_SRC_DIR/$ARTEMIS_MAIN.java" "$ARTEMIS_HOME/lib/.complete" | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$ARTEMIS_HOME/classes/.complete" 2>/dev/null)" = "$sum" ]; then return 0; fi
  if ! command -v javac >/dev/null 2>&1; then
    echo "✘ Artemis's main must be compiled, and \`javac\` is not on PATH. Install a JDK (Debian: sudo apt-get install -y openjdk-17-jdk-headless) and run this again." >&2
    return 1
  fi
  echo "… compiling $ARTEMIS_MAIN.java into $ARTEMIS_HOME/classes"
  rm -rf "$ARTEMIS_HOME/classes" && mkdir -p "$ARTEMIS_HOME/classes"
  javac -d "$ARTEMIS_HOME/classes" -cp "$ARTEMIS_HOME/lib/*" "$ARTEMIS_SRC_DIR/$ARTEMIS_MAIN.java" || {
    echo "✘ javac could not compile $ARTEMIS_SRC_DIR/$ARTEMIS_MAIN.java (see above)." >&2
    return 1
  }
  echo "$sum" >"$ARTEMIS_HOME/classes/.complete"
}

# Starts the broker unless it runs; waits (bounded) until it answers.
artemis_start() {
  local pid
  if pid="$(_artemis_pid)" && svc_port_open "$ARTEMIS_PORT"; then
    echo "✔ Artemis (AMQP 1.0) answers on 127.0.0.1:$ARTEMIS_PORT (pid $pid)"
    return 0
  fi
  if ! _artemis_pid >/dev/null && svc_port_open "$ARTEMIS_PORT"; then
    echo "✔ something already answers on 127.0.0.1:$ARTEMIS_PORT (not started by this script): using it as the AMQP 1.0 broker"
    return 0
  fi
  svc_require_java Artemis || return 1
  svc_lock "$ARTEMIS_HOME/.lock" || return 1
  # another run may have started it while we waited for the lock
  if ! pid="$(_artemis_pid)"; then
    if ! svc_maven_jars Artemis "$ARTEMIS_SRC_DIR" "$ARTEMIS_HOME/lib" || ! _artemis_compile; then svc_unlock; return 1; fi
    echo "… starting Artemis (AMQP 1.0) on 127.0.0.1:$ARTEMIS_PORT, log $ARTEMIS_HOME/artemis.log"
    svc_spawn "$ARTEMIS_HOME/artemis.pid" "$ARTEMIS_HOME/artemis.log" "$ARTEMIS_HOME" \
      java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.showDateTime=true \
      -cp "$ARTEMIS_HOME/lib/*:$ARTEMIS_HOME/classes" "$ARTEMIS_MAIN" "$ARTEMIS_PORT" "$ARTEMIS_MAX_DELIVERIES"
    pid="$(cat "$ARTEMIS_HOME/artemis.pid")"
  fi
  svc_unlock
  svc_wait_started "Artemis (AMQP 1.0)" "$pid" "$ARTEMIS_PORT" "$ARTEMIS_HOME/artemis.log" "Tributary Artemis ready" ||
    { rm -f "$ARTEMIS_HOME/artemis.pid"; return 1; }
}

# Stops the broker started by artemis_start (its pid only).
artemis_stop() {
  svc_stop_pid Artemis "$ARTEMIS_HOME/artemis.pid" "$ARTEMIS_MAIN"
}

# Exit 0 when the broker answers on its port.
artemis_status() {
  local pid
  if pid="$(_artemis_pid)" && svc_port_open "$ARTEMIS_PORT"; then
    echo "✔ Artemis (AMQP 1.0) answers on 127.0.0.1:$ARTEMIS_PORT (pid $pid)"
  elif svc_port_open "$ARTEMIS_PORT"; then
    echo "✔ something answers on 127.0.0.1:$ARTEMIS_PORT (not started by this script)"
  elif pid="$(_artemis_pid)"; then
    echo "✘ Artemis runs (pid $pid) but does not answer on 127.0.0.1:$ARTEMIS_PORT yet" >&2
    return 1
  else
    echo "✘ Artemis is not running (start it: bash scripts/services.sh start artemis)" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "artemis_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
