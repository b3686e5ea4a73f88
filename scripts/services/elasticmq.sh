#!/usr/bin/env bash
# ElasticMQ (an SQS-compatible server) for the SQS tests, on 127.0.0.1:${ELASTICMQ_PORT:-9324},
# from Maven Central jars (no Docker). Needs Java 17+ and, the first time, Maven.
#
#   bash scripts/services/elasticmq.sh start    # fetch jars once, start, wait until it answers
#   bash scripts/services/elasticmq.sh status   # exit 0 when it answers
#   bash scripts/services/elasticmq.sh stop     # stop the server this script started (its pid only)
#
# Sourced by scripts/services.sh, it defines elasticmq_start, elasticmq_stop and elasticmq_status.
# Everything lives in ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/elasticmq: lib/ (jars, copied by
# Maven once; lib/.complete holds the pom's checksum), elasticmq.conf, elasticmq.pid,
# elasticmq.log. Queues live in memory: a restart empties them. Region "elasticmq", account
# 000000000000; queue URLs are http://127.0.0.1:9324/000000000000/<name>.

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

ELASTICMQ_HOME="$SERVICES_CACHE/elasticmq"
ELASTICMQ_PORT="${ELASTICMQ_PORT:-9324}"
ELASTICMQ_POM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/maven/elasticmq"
ELASTICMQ_MAIN=org.elasticmq.server.Main

_elasticmq_pid() { svc_pid "$ELASTICMQ_HOME/elasticmq.pid" "$ELASTICMQ_MAIN"; }

_elasticmq_config() {
  cat >"$ELASTICMQ_HOME/elasticmq.conf" <<CONF
# written by scripts/services/elasticmq.sh: a test server on loopback, not for production
include classpath("application.conf")

# the address in the queue URLs it hands out
node-address {
  protocol = http
  host = "127.0.0.1"
  port = $ELASTICMQ_PORT
  context-path = ""
}
generate-node-address = false

rest-sqs {
  enabled = true
  bind-port = $ELASTICMQ_PORT
  bind-hostname = "127.0.0.1"
  sqs-limits = strict
}

# the statistics UI would listen on 0.0.0.0:9325
rest-stats {
  enabled = false
}
CONF
}

# Starts the server unless it runs; waits (bounded) until it answers.
elasticmq_start() {
  local pid
  if pid="$(_elasticmq_pid)" && svc_port_open "$ELASTICMQ_PORT"; then
    echo "✔ ElasticMQ answers on 127.0.0.1:$ELASTICMQ_PORT (pid $pid)"
    return 0
  fi
  if ! _elasticmq_pid >/dev/null && svc_port_open "$ELASTICMQ_PORT"; then
    echo "✔ something already answers on 127.0.0.1:$ELASTICMQ_PORT (not started by this script): using it as the SQS server"
    return 0
  fi
  svc_require_java ElasticMQ || return 1
  svc_lock "$ELASTICMQ_HOME/.lock" || return 1
  # another run may have started it while we waited for the lock
  if ! pid="$(_elasticmq_pid)"; then
    svc_maven_jars ElasticMQ "$ELASTICMQ_POM_DIR" "$ELASTICMQ_HOME/lib" || { svc_unlock; return 1; }
    _elasticmq_config
    echo "… starting ElasticMQ on 127.0.0.1:$ELASTICMQ_PORT, log $ELASTICMQ_HOME/elasticmq.log"
    svc_spawn "$ELASTICMQ_HOME/elasticmq.pid" "$ELASTICMQ_HOME/elasticmq.log" "$ELASTICMQ_HOME" \
      java -Xmx128m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      -Dconfig.file="$ELASTICMQ_HOME/elasticmq.conf" -cp "$ELASTICMQ_HOME/lib/*" "$ELASTICMQ_MAIN"
    pid="$(cat "$ELASTICMQ_HOME/elasticmq.pid")"
  fi
  svc_unlock
  svc_wait_started ElasticMQ "$pid" "$ELASTICMQ_PORT" "$ELASTICMQ_HOME/elasticmq.log" "ElasticMQ server.*started" ||
    { rm -f "$ELASTICMQ_HOME/elasticmq.pid"; return 1; }
}

# Stops the server started by elasticmq_start (its pid only).
elasticmq_stop() {
  svc_stop_pid ElasticMQ "$ELASTICMQ_HOME/elasticmq.pid" "$ELASTICMQ_MAIN"
}

# Exit 0 when the server answers on its port.
elasticmq_status() {
  local pid
  if pid="$(_elasticmq_pid)" && svc_port_open "$ELASTICMQ_PORT"; then
    echo "✔ ElasticMQ answers on 127.0.0.1:$ELASTICMQ_PORT (pid $pid)"
  elif svc_port_open "$ELASTICMQ_PORT"; then
    echo "✔ something answers on 127.0.0.1:$ELASTICMQ_PORT (not started by this script)"
  elif pid="$(_elasticmq_pid)"; then
    echo "✘ ElasticMQ runs (pid $pid) but does not answer on 127.0.0.1:$ELASTICMQ_PORT yet" >&2
    return 1
  else
    echo "✘ ElasticMQ is not running (start it: bash scripts/services.sh start elasticmq)" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "elasticmq_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
