#!/usr/bin/env bash
# Starts, stops or checks the brokers the test suites need, all on loopback.
#
#   bash scripts/services.sh [start|stop|status] [names…]
#
#   (no arguments)          start every broker below (what `npm test` needs)
#   start [names…]          make them answer: start what is down, install what is missing
#                           (apt-get, when root on Debian), wait (bounded); idempotent
#   status [names…]         one line each; exit 0 only when all answer
#   stop [names…]           stop only what these scripts started in their own cache folders
#                           (Kafka, ElasticMQ, Artemis); the machine's services stay up
#
# Brokers, in this order (each one a file scripts/services/<name>.sh; a missing file is
# skipped):
#   redis      127.0.0.1:6379   machine service (redis-server)
#   rabbitmq   127.0.0.1:5672   machine service (rabbitmq-server), guest/guest
#   nats       127.0.0.1:4222   machine service (nats-server, JetStream on)
#   mosquitto  127.0.0.1:1883   machine service (mosquitto)
#   kafka      127.0.0.1:9092   Kafka (KRaft, one node) from Maven Central jars
#   elasticmq  127.0.0.1:9324   SQS-compatible ElasticMQ from Maven Central jars
#   artemis    127.0.0.1:5673   ActiveMQ Artemis (AMQP 1.0), embedded, from Maven Central jars
# then any other scripts/services/*.sh, by name.
#
# The interface of scripts/services/<name>.sh (sourced by this file, and runnable alone as
# `bash scripts/services/<name>.sh start|stop|status`): it defines three functions,
#   <name>_start    make it answer; idempotent; print what it does; return non-zero with a
#                   message saying what to do when it cannot
#   <name>_stop     stop it if (and only if) these scripts started it, by its own pid
#   <name>_status   print one line; return 0 when it answers
# It may use the helpers of scripts/services/common.bash. Processes it starts must outlive
# this script (setsid + nohup), with pid and log files in ${TRIBUTARY_CACHE:-~/.cache/tributary}/<name>/.
set -uo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/services"
ORDER=(redis rabbitmq nats mosquitto kafka elasticmq artemis)

known=()
for name in "${ORDER[@]}"; do [ -f "$dir/$name.sh" ] && known+=("$name"); done
for file in "$dir"/*.sh; do
  [ -f "$file" ] || continue
  name="$(basename "$file" .sh)"
  [[ " ${ORDER[*]} " == *" $name "* ]] || known+=("$name")
done

usage() {
  echo "usage: bash scripts/services.sh [start|stop|status] [names…]   (names: ${known[*]})" >&2
  exit 2
}

action=start
case "${1:-}" in
  start | stop | status) action=$1; shift ;;
  -h | --help | help) usage ;;
esac

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${known[@]}")
for name in "${names[@]}"; do
  [[ " ${known[*]} " == *" $name "* ]] || { echo "✘ unknown broker '$name': there is no scripts/services/$name.sh." >&2; usage; }
done

status=0
failed=()
for name in "${names[@]}"; do
  # shellcheck source=/dev/null
  source "$dir/$name.sh"
  if ! declare -F "${name}_$action" >/dev/null; then
    echo "✘ scripts/services/$name.sh does not define ${name}_$action." >&2
    status=1; failed+=("$name"); continue
  fi
  "${name}_$action" || { status=1; failed+=("$name"); }
done

if [ $status -ne 0 ]; then
  case $action in
    start) echo "✘ not running: ${failed[*]}. The integration tests need these brokers; see docs/brokers.md." >&2 ;;
    status) echo "✘ not answering: ${failed[*]} (start them: bash scripts/services.sh start ${failed[*]})" >&2 ;;
    stop) echo "✘ could not stop: ${failed[*]}" >&2 ;;
  esac
fi
exit $status
