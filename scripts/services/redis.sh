#!/usr/bin/env bash
# Redis on 127.0.0.1:6379 (a machine service: Debian package redis-server).
#
#   bash scripts/services/redis.sh start    # start it when it does not answer; apt-get install it when missing (root, Debian)
#   bash scripts/services/redis.sh status   # exit 0 when it answers PING
#   bash scripts/services/redis.sh stop     # leaves it running: it is the machine's service
#
# Sourced by scripts/services.sh, it defines redis_start, redis_stop and redis_status.

# shellcheck source-path=SCRIPTDIR source=common.bash
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

# PING over the socket itself, so a Redis in a container counts without redis-cli installed
_redis_ping() {
  svc_port_open 6379 && timeout 3 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/6379 || exit 1
    printf "PING\r\n" >&3
    IFS= read -r line <&3
    [[ $line == +PONG* ]]' 2>/dev/null
}

redis_start() {
  if _redis_ping; then echo "✔ Redis answers on 127.0.0.1:6379"; return 0; fi
  command -v redis-server >/dev/null 2>&1 || svc_apt_install redis-server || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  echo "… starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 ||
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  svc_wait Redis 6379 _redis_ping
}

redis_stop() {
  echo "✔ Redis left running: it is the machine's service, shared with other users (stop it with your service manager if you must)"
}

redis_status() {
  if _redis_ping; then echo "✔ Redis answers on 127.0.0.1:6379"; else echo "✘ Redis does not answer on 127.0.0.1:6379 (start it: bash scripts/services.sh start redis)" >&2; return 1; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start | stop | status) "redis_$1" ;;
    *) echo "usage: $0 start | stop | status" >&2; exit 2 ;;
  esac
fi
