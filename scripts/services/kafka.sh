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
# Maven once; lib/.complete holds the pom's checksum), data/ (the log dirs), server.properties,
# kafka.pid, kafka.log.
#
# A second broker of a test's own (one it may stop and start: never the shared one on 9092)
# takes other ports and another folder; the jars stay shared:
#   KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 TRIBUTARY_KAFKA_DIR=/tmp/my-kafka bash scripts/services/kafka.sh start
# (TRIBUTARY_KAFKA_DIR, not KAFKA_HOME: that one often points at a Kafka installation.)
#
# Topics are never created by the broker on first use (auto.create.topics.enable=false):
# @tributary/kafka creates the topics it needs itself, so the tests prove it works on clusters
# where auto-creation is off (the usual production setting).

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

KAFKA_VERSION=4.1.1
# a fixed cluster id (22 characters of base64url): the data folder always matches it
KAFKA_CLUSTER_ID=TributaryKafkaTests001
KAFKA_HOME="${TRIBUTARY_KAFKA_DIR:-$SERVICES_CACHE/kafka}"
KAFKA_LIB="$SERVICES_CACHE/kafka/lib"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_POM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/maven/kafka"
KAFKA_MAIN=kafka.Kafka

_kafka_pid() { svc_pid "$KAFKA_HOME/kafka.pid" "$KAFKA_MAIN"; }

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
    -cp "$KAFKA_LIB/*" kafka.tools.StorageTool format --ignore-formatted --standalone \
    -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_HOME/server.properties" >"$KAFKA_HOME/format.log" 2>&1 || {
    echo "✘ Formatting the Kafka data folder failed:" >&2
    cat "$KAFKA_HOME/format.log" >&2
    return 1
  }
}

# Starts the broker unless it runs; waits (bounded) until it logged "Kafka Server started" and answers.
kafka_start() {
  local pid
  if pid="$(_kafka_pid)" && svc_port_open "$KAFKA_PORT"; then
    echo "✔ Kafka answers on 127.0.0.1:$KAFKA_PORT (pid $pid)"
    return 0
  fi
  if ! _kafka_pid >/dev/null && svc_port_open "$KAFKA_PORT"; then
    echo "✔ something already answers on 127.0.0.1:$KAFKA_PORT (not started by this script): using it as the Kafka broker"
    return 0
  fi
  svc_require_java Kafka || return 1
  svc_lock "$KAFKA_HOME/.lock" || return 1
  # another run may have started it while we waited for the lock
  if ! pid="$(_kafka_pid)"; then
    svc_maven_jars "Kafka $KAFKA_VERSION" "$KAFKA_POM_DIR" "$KAFKA_LIB" || { svc_unlock; return 1; }
    _kafka_config
    _kafka_format || { svc_unlock; return 1; }
    echo "… starting Kafka $KAFKA_VERSION (KRaft, one node) on 127.0.0.1:$KAFKA_PORT, log $KAFKA_HOME/kafka.log"
    svc_spawn "$KAFKA_HOME/kafka.pid" "$KAFKA_HOME/kafka.log" "$KAFKA_HOME" \
      java -Xmx128m -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
      -cp "$KAFKA_LIB/*" "$KAFKA_MAIN" "$KAFKA_HOME/server.properties"
    pid="$(cat "$KAFKA_HOME/kafka.pid")"
  fi
  svc_unlock
  svc_wait_started Kafka "$pid" "$KAFKA_PORT" "$KAFKA_HOME/kafka.log" "Kafka Server started" ||
    { rm -f "$KAFKA_HOME/kafka.pid"; return 1; }
}

# Stops the broker started by kafka_start (its pid only; SIGKILL after 30 s). `--clean` also deletes its data.
kafka_stop() {
  svc_stop_pid Kafka "$KAFKA_HOME/kafka.pid" "$KAFKA_MAIN"
  if [ "${1:-}" = "--clean" ]; then
    echo "… deleting $KAFKA_HOME/data (topics, offsets, groups)"
    rm -rf "$KAFKA_HOME/data"
  fi
}

# Exit 0 when the broker answers on its port.
kafka_status() {
  local pid
  if pid="$(_kafka_pid)" && svc_port_open "$KAFKA_PORT"; then
    echo "✔ Kafka answers on 127.0.0.1:$KAFKA_PORT (pid $pid, data $KAFKA_HOME/data)"
  elif svc_port_open "$KAFKA_PORT"; then
    echo "✔ something answers on 127.0.0.1:$KAFKA_PORT (not started by this script)"
  elif pid="$(_kafka_pid)"; then
    echo "✘ Kafka runs (pid $pid) but does not answer on 127.0.0.1:$KAFKA_PORT yet" >&2
    return 1
  else
    echo "✘ Kafka is not running (start it: bash scripts/services.sh start kafka)" >&2
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
