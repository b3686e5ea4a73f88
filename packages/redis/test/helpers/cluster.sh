#!/usr/bin/env bash
# A throwaway Redis Cluster for tests: six nodes (three masters, three replicas) on
# 127.0.0.1:7000-7005, data in a temp folder, nothing saved to disk.
#   cluster.sh start   -> prints the folder; idempotent (a running, healthy cluster is reused)
#   cluster.sh restart-node 7000 -> starts a killed node again (it rejoins as a replica)
#   cluster.sh stop    -> kills only the pids this script started (never port 6379)
# The folder is ${TRIBUTARY_REDIS_CLUSTER_DIR:-/tmp/tributary-redis-cluster-$UID}.
set -euo pipefail
DIR="${TRIBUTARY_REDIS_CLUSTER_DIR:-/tmp/tributary-redis-cluster-$(id -u)}"
PORTS=(7000 7001 7002 7003 7004 7005)

healthy() {
  redis-cli -h 127.0.0.1 -p 7000 cluster info 2>/dev/null | grep -q 'cluster_state:ok' &&
    [ "$(redis-cli -h 127.0.0.1 -p 7000 cluster nodes 2>/dev/null | grep -vc fail)" = 6 ]
}

node() {
  redis-server --port "$1" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file "$DIR/nodes-$1.conf" --cluster-node-timeout 2000 \
    --dir "$DIR" --dbfilename "dump-$1.rdb" --save '' --appendonly no --daemonize yes \
    --pidfile "$DIR/redis-$1.pid" --logfile "$DIR/redis-$1.log"
}

start() {
  mkdir -p "$DIR"
  if healthy; then echo "$DIR"; return; fi
  stop >/dev/null
  rm -f "$DIR"/*.conf "$DIR"/*.pid "$DIR"/*.log "$DIR"/*.rdb
  # a start that fails leaves nothing running
  trap 'stop' ERR
  for port in "${PORTS[@]}"; do
    if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
      echo "port $port is taken by a server this script did not start; stop it first" >&2
      exit 1
    fi
    node "$port"
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${PORTS[@]}") --cluster-replicas 1 --cluster-yes >"$DIR/create.log" 2>&1
  for _ in $(seq 100); do healthy && break; sleep 0.1; done
  healthy || { echo "the cluster did not become healthy, see $DIR" >&2; stop; exit 1; }
  # every replica attached (a failover test needs one per master)
  for _ in $(seq 100); do
    [ "$(redis-cli -h 127.0.0.1 -p 7000 cluster nodes | grep -c 'slave.*connected')" = 3 ] && break
    sleep 0.1
  done
  trap - ERR
  echo "$DIR"
}

stop() {
  for pidfile in "$DIR"/redis-*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    # only a redis-server this script started (its pid file, its command line)
    if [ -n "$pid" ] && grep -q "redis-server" "/proc/$pid/cmdline" 2>/dev/null && grep -q ":70" "/proc/$pid/cmdline" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

# a node killed by a test comes back with its nodes file: it rejoins as a replica
restart_node() {
  case " ${PORTS[*]} " in *" $1 "*) ;; *) echo "not a cluster port: $1" >&2; exit 2 ;; esac
  redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1 || node "$1"
}

case "${1:-start}" in
  start) start ;;
  restart-node) restart_node "$2" ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
