#!/usr/bin/env bash
# Makes sure RabbitMQ (127.0.0.1:5672) and Redis (127.0.0.1:6379) answer on loopback.
# Starts them when they are down; installs them with apt-get when they are missing and we
# are root on Debian. Waits (bounded) and exits non-zero with a clear message otherwise.
set -uo pipefail

WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-90}"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

wait_for() { # name port check-command
  local name=$1 port=$2 check=$3 i
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    if port_open "$port" && eval "$check" >/dev/null 2>&1; then echo "✔ $name answers on 127.0.0.1:$port"; return 0; fi
    sleep 1
  done
  echo "✘ $name does not answer on 127.0.0.1:$port after ${WAIT_SECONDS}s." >&2
  return 1
}

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  if ! can_apt; then
    echo "✘ $1 is not installed. Install it (Debian: sudo apt-get install -y $1) and run this again." >&2
    return 1
  fi
  echo "… installing $1 with apt-get"
  { [ -n "${APT_UPDATED:-}" ] || apt-get update -qq; } && APT_UPDATED=1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

ensure_redis() {
  if port_open 6379 && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then echo "✔ Redis answers on 127.0.0.1:6379"; return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  echo "… starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 ||
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for Redis 6379 "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
}

ensure_rabbitmq() {
  if port_open 5672 && rabbitmqctl -q await_startup >/dev/null 2>&1; then echo "✔ RabbitMQ answers on 127.0.0.1:5672"; return 0; fi
  command -v rabbitmq-server >/dev/null 2>&1 || apt_install rabbitmq-server || return 1
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    echo "… starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  # the node may be up with the app stopped (after a failed broker-restart test)
  timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1 || rabbitmqctl -q start_app >/dev/null 2>&1 || true
  wait_for RabbitMQ 5672 "rabbitmqctl -q await_startup"
}

status=0
ensure_redis || status=1
ensure_rabbitmq || status=1
if [ $status -ne 0 ]; then
  echo "Brokers are needed by the integration tests. See README.md → 'Brokers'." >&2
fi
exit $status
