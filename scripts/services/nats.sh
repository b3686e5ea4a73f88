#!/usr/bin/env bash
# NATS with JetStream on 127.0.0.1:4222 (a machine service: Debian package nats-server).
#
#   bash scripts/services/nats.sh start    # start it when it does not answer; apt-get install it when missing (root, Debian)
#   bash scripts/services/nats.sh status   # exit 0 when it answers with JetStream on
#   bash scripts/services/nats.sh stop     # leaves it running: it is the machine's service
#
# Sourced by scripts/services.sh, it defines nats_start, nats_stop and nats_status.
# Started as: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# the server greets every client with an INFO line; JetStream must be on
_nats_info() {
  timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4222 && IFS= read -r line <&3 && echo "$line"' 2>/dev/null
}
_nats_up() { svc_port_open 4222 && _nats_info | grep -q '"jetstream":true'; }

nats_start() {
  if _nats_up; then echo "✔ NATS (JetStream) answers on 127.0.0.1:4222"; return 0; fi
  if svc_port_open 4222; then
    echo "✘ something answers on 127.0.0.1:4222 but it is not NATS with JetStream on (its greeting: $(_nats_info | cut -c1-120)). Stop it, or start nats-server with -js." >&2
    return 1
  fi
  [ -x /usr/sbin/nats-server ] || svc_apt_install nats-server || return 1
  mkdir -p /var/lib/nats-server 2>/dev/null || true
  echo "… starting NATS (JetStream on, data /var/lib/nats-server, log /var/log/nats-server.log)"
  if ! start-stop-daemon --start --oknodo --background --pidfile /run/tributary-nats-server.pid --make-pidfile \
    --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log; then
    echo "✘ could not start nats-server (run this as root, or start it yourself: nats-server -a 127.0.0.1 -p 4222 -js)." >&2
    return 1
  fi
  svc_wait NATS 4222 "_nats_up" || { tail -5 /var/log/nats-server.log >&2 2>/dev/null; return 1; }
}

nats_stop() {
  echo "✔ NATS left running: it is the machine's service, shared with other users (stop it with your service manager if you must)"
}

nats_status() {
  if _nats_up; then echo "✔ NATS (JetStream) answers on 127.0.0.1:4222"; else echo "✘ NATS with JetStream does not answer on 127.0.0.1:4222 (start it: bash scripts/services.sh start nats)" >&2; return 1; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "nats_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
