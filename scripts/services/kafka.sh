#!/usr/bin/env bash
# Apache Kafka 4.1.1 for the tests: one KRaft node (broker + controller) on loopback,
#   PLAINTEXT   127.0.0.1:${KAFKA_PORT:-9092}
#   CONTROLLER  127.0.0.1:${KAFKA_CONTROLLER_PORT:-9093}
# from Maven Central jars (no Docker). Needs Java 17+ and Maven.
#
#   bash scripts/services/kafka.sh start    # fetch jars once, format once, start, wait until it answers
#   bash scripts/services/kafka.sh status   # exit 0 when it answers
#   bash scripts/services/kafka.sh stop     # stop the broker this script started (its pid only)
#   bash scripts/services/kafka.sh stop --clean   # ... and delete its data (topics, offsets)
#
# Sourced by scripts/services.sh, it defines kafka_start, kafka_stop and kafka_status.
# Everything lives in ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/kafka: lib/ (jars, copied by
# Maven once, marked done by lib/.complete), data/ (the log dirs), server.properties,
# kafka.pid, kafka.log.
#
# Topics are never created by the broker on first use (auto.create.topics.enable=false):
# @tributary/kafka creates the topics it needs itself, so the tests prove it works on clusters
# where auto-creation is off (the usual production setting).

KAFKA_VERSION=4.1.1
# a fixed cluster id (22 characters of base64url): the data folder always matches it
KAFKA_CLUSTER_ID=TributaryKafkaTests001
KAFKA_HOME="${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/kafka"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_WAIT_SECONDS="${KAFKA_WAIT_SECONDS:-90}"
KAFKA_POM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/maven/kafka"

_kafka_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_kafka_pid() {
  local pid
  pid="$(cat "$KAFKA_HOME/kafka.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

_kafka_require() {
  if ! command -v java >/dev/null 2>&1; then
    echo "✘ Kafka needs Java 17 or newer, and \`java\` is not on PATH. Install a JDK (Debian: sudo apt-get install -y openjdk-17-jre-headless) and run this again." >&2
    return 1
  fi
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  if [ -n "$major" ] && [ "$major" -lt 17 ]; then
    echo "✘ Kafka $KAFKA_VERSION needs Java 17 or newer; \`java\` is version $major. Install a newer JDK and put it first on PATH." >&2
    return 1
  fi
}

_kafka_jars() {
  if [ -f "$KAFKA_HOME/lib/.complete" ]; then return 0; fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "✘ The Kafka jars are not in $KAFKA_HOME/lib yet, and Maven (\`mvn\`) is needed to fetch them from Maven Central. Install it (Debian: sudo apt-get install -y maven) and run this again." >&2
    return 1
  fi
  echo "… copying the Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_HOME/lib (once, ~43 MB)"
  rm -rf "$KAFKA_HOME/lib" && mkdir -p "$KAFKA_HOME/lib"
  if ! (cd "$KAFKA_POM_DIR" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/lib") >"$KAFKA_HOME/maven.log" 2>&1; then
    echo "✘ Maven could not fetch the Kafka jars (is Maven Central reachable?). Its output:" >&2
    cat "$KAFKA_HOME/maven.log" >&2
    return 1
  fi
  touch "$KAFKA_HOME/lib/.complete"
}

_kafka_config() {
  mkdir -p "$KAFKA_HOME/data"
  cat >"$KAFKA_HOME/server.properties" <<EOF
# written by scripts/services/kafka.sh: a one-node test cluster, not for production
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_HOME/data
# one node: every internal topic has one replica
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=3
# consumer groups form at once (tests start and stop many)
group.initial.rebalance.delay.ms=0
# the transport creates its topics; nothing appears by accident
auto.create.topics.enable=false
delete.topic.enable=true
# -Xmx128m: the log cleaner's default 128 MB dedupe buffer would not fit
log.cleaner.dedupe.buffer.size=8388608
log.retention.hours=24
log.segment.bytes=16777216
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
  cat >"$KAFKA_HOME/log4j2.properties" <<EOF
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
# "Kafka Server started", and startup / shutdown steps
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
logger.main.name = kafka.Kafka
logger.main.level = info
EOF
}

_kafka_format() {
  if [ -f "$KAFKA_HOME/data/meta.properties" ]; then return 0; fi
  echo "… formatting $KAFKA_HOME/data (cluster id $KAFKA_CLUSTER_ID)"
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
    -cp "$KAFKA_HOME/lib/*" kafka.tools.StorageTool format --ignore-formatted --standalone \
    -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_HOME/server.properties" >"$KAFKA_HOME/format.log" 2>&1 || {
    echo "✘ Formatting the Kafka data folder failed:" >&2
    cat "$KAFKA_HOME/format.log" >&2
    return 1
  }
}

# Starts the broker unless it runs; waits (bounded) until it logged "Kafka Server started" and answers.
kafka_start() {
  if _kafka_pid >/dev/null && _kafka_port_open "$KAFKA_PORT"; then
    echo "✔ Kafka answers on 127.0.0.1:$KAFKA_PORT (pid $(_kafka_pid))"
    return 0
  fi
  if ! _kafka_pid >/dev/null && _kafka_port_open "$KAFKA_PORT"; then
    echo "✔ something already answers on 127.0.0.1:$KAFKA_PORT (not started by this script): using it as the Kafka broker"
    return 0
  fi
  _kafka_require || return 1
  mkdir -p "$KAFKA_HOME"
  _kafka_jars || return 1
  _kafka_config
  _kafka_format || return 1
  local pid
  if ! pid="$(_kafka_pid)"; then
    echo "… starting Kafka $KAFKA_VERSION (KRaft, one node) on 127.0.0.1:$KAFKA_PORT, log $KAFKA_HOME/kafka.log"
    : >"$KAFKA_HOME/kafka.log"
    (
      cd "$KAFKA_HOME" || exit 1
      exec setsid nohup java -Xmx128m -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
        -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$KAFKA_HOME/server.properties" >>"$KAFKA_HOME/kafka.log" 2>&1 </dev/null
    ) &
    pid=$!
    echo "$pid" >"$KAFKA_HOME/kafka.pid"
  fi
  local i
  for ((i = 0; i < KAFKA_WAIT_SECONDS * 4; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "✘ Kafka exited during startup; the end of $KAFKA_HOME/kafka.log:" >&2
      tail -20 "$KAFKA_HOME/kafka.log" >&2
      rm -f "$KAFKA_HOME/kafka.pid"
      return 1
    fi
    if grep -q 'Kafka Server started' "$KAFKA_HOME/kafka.log" && _kafka_port_open "$KAFKA_PORT"; then
      echo "✔ Kafka answers on 127.0.0.1:$KAFKA_PORT (pid $pid)"
      return 0
    fi
    sleep 0.25
  done
  echo "✘ Kafka did not answer on 127.0.0.1:$KAFKA_PORT within ${KAFKA_WAIT_SECONDS}s; it is left running (pid $pid). See $KAFKA_HOME/kafka.log." >&2
  return 1
}

# Stops the broker started by kafka_start (its pid only; SIGKILL after 30 s). `--clean` also deletes its data.
kafka_stop() {
  local pid i
  if pid="$(_kafka_pid)"; then
    echo "… stopping Kafka (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 120 && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); i++)); do sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "… Kafka did not stop within 30 s: killing pid $pid"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.5
    fi
    echo "✔ Kafka stopped"
  else
    echo "✔ Kafka is not running (no live pid in $KAFKA_HOME/kafka.pid)"
  fi
  rm -f "$KAFKA_HOME/kafka.pid"
  if [ "${1:-}" = "--clean" ]; then
    echo "… deleting $KAFKA_HOME/data (topics, offsets, groups)"
    rm -rf "$KAFKA_HOME/data"
  fi
}

# Exit 0 when the broker answers on its port.
kafka_status() {
  local pid
  if pid="$(_kafka_pid)" && _kafka_port_open "$KAFKA_PORT"; then
    echo "✔ Kafka answers on 127.0.0.1:$KAFKA_PORT (pid $pid, data $KAFKA_HOME/data)"
  elif _kafka_port_open "$KAFKA_PORT"; then
    echo "✔ something answers on 127.0.0.1:$KAFKA_PORT (not started by this script)"
  elif pid="$(_kafka_pid)"; then
    echo "✘ Kafka runs (pid $pid) but does not answer on 127.0.0.1:$KAFKA_PORT yet" >&2
    return 1
  else
    echo "✘ Kafka is not running (start it: bash scripts/services/kafka.sh start)" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) command="kafka_$1"; shift; "$command" "$@" ;;
    *) echo "usage: $0 start | stop [--clean] | status" >&2; exit 2 ;;
  esac
fi
