#!/usr/bin/env bash
# Mosquitto (MQTT 3.1.1 and 5) on 127.0.0.1:1883 (a machine service: Debian package mosquitto).
#
#   bash scripts/services/mosquitto.sh start    # start it when it does not answer; apt-get install it when missing (root, Debian)
#   bash scripts/services/mosquitto.sh status   # exit 0 when it accepts an MQTT connection
#   bash scripts/services/mosquitto.sh stop     # leaves it running: it is the machine's service
#
# Sourced by scripts/services.sh, it defines mosquitto_start, mosquitto_stop and mosquitto_status.
# Started as: mosquitto -d -c /etc/mosquitto/mosquitto.conf (Debian's file: with no `listener`
# line, Mosquitto 2 listens on loopback only and lets anonymous clients in).

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# an MQTT 3.1.1 CONNECT (clean session, empty client id) must get CONNACK "accepted"
_mosquitto_up() {
  svc_port_open 1883 && timeout 3 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/1883 || exit 1
    printf "\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00" >&3
    reply="$(head -c 4 <&3 | od -An -tx1 | tr -d " \n")"
    printf "\xe0\x00" >&3
    [ "$reply" = 20020000 ]' 2>/dev/null
}

mosquitto_start() {
  if _mosquitto_up; then echo "✔ Mosquitto answers on 127.0.0.1:1883"; return 0; fi
  if svc_port_open 1883; then
    echo "✘ something answers on 127.0.0.1:1883 but does not accept an anonymous MQTT connection. Check that server, or stop it." >&2
    return 1
  fi
  { command -v mosquitto >/dev/null 2>&1 && [ -f /etc/mosquitto/mosquitto.conf ]; } || svc_apt_install mosquitto || return 1
  # what the Debian unit does before it starts the broker (which drops to the mosquitto user)
  mkdir -p /run/mosquitto /var/log/mosquitto 2>/dev/null || true
  if id mosquitto >/dev/null 2>&1; then chown mosquitto /run/mosquitto /var/log/mosquitto 2>/dev/null || true; fi
  echo "… starting Mosquitto"
  if ! mosquitto -d -c /etc/mosquitto/mosquitto.conf; then
    echo "✘ could not start mosquitto (see /var/log/mosquitto/mosquitto.log; run this as root, or start it yourself: mosquitto -d -c /etc/mosquitto/mosquitto.conf)." >&2
    return 1
  fi
  svc_wait Mosquitto 1883 "_mosquitto_up"
}

mosquitto_stop() {
  echo "✔ Mosquitto left running: it is the machine's service, shared with other users (stop it with your service manager if you must)"
}

mosquitto_status() {
  if _mosquitto_up; then echo "✔ Mosquitto answers on 127.0.0.1:1883"; else echo "✘ Mosquitto does not answer on 127.0.0.1:1883 (start it: bash scripts/services.sh start mosquitto)" >&2; return 1; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "mosquitto_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
