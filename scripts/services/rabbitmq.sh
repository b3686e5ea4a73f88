#!/usr/bin/env bash
# RabbitMQ on 127.0.0.1:5672, guest/guest (a machine service: Debian package rabbitmq-server).
#
#   bash scripts/services/rabbitmq.sh start    # start it when it does not answer; apt-get install it when missing (root, Debian)
#   bash scripts/services/rabbitmq.sh status   # exit 0 when the node has booted and the port is open
#   bash scripts/services/rabbitmq.sh stop     # leaves it running: it is the machine's service
#
# Sourced by scripts/services.sh, it defines rabbitmq_start, rabbitmq_stop and rabbitmq_status.

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# a local node must have booted (rabbitmqctl); without rabbitmqctl on this machine (RabbitMQ in a
# container), the port must answer the AMQP 0-9-1 header with a Connection.Start frame
_rabbitmq_up() {
  svc_port_open 5672 || return 1
  if command -v rabbitmqctl >/dev/null 2>&1; then rabbitmqctl -q await_startup >/dev/null 2>&1; else _rabbitmq_greets; fi
}
_rabbitmq_greets() {
  timeout 3 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/5672 || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    [ "$(head -c 3 <&3 | od -An -tx1 | tr -d " \n")" = 010000 ]' 2>/dev/null
}

rabbitmq_start() {
  if _rabbitmq_up; then echo "✔ RabbitMQ answers on 127.0.0.1:5672"; return 0; fi
  command -v rabbitmq-server >/dev/null 2>&1 || svc_apt_install rabbitmq-server || return 1
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    echo "… starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  # the node may be up with the app stopped (after a failed broker-restart test)
  timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1 || rabbitmqctl -q start_app >/dev/null 2>&1 || true
  svc_wait RabbitMQ 5672 "rabbitmqctl -q await_startup"
}

rabbitmq_stop() {
  echo "✔ RabbitMQ left running: it is the machine's service, shared with other users (stop it with your service manager if you must)"
}

rabbitmq_status() {
  if _rabbitmq_up; then echo "✔ RabbitMQ answers on 127.0.0.1:5672"; else echo "✘ RabbitMQ does not answer on 127.0.0.1:5672 (start it: bash scripts/services.sh start rabbitmq)" >&2; return 1; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "rabbitmq_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
