#!/usr/bin/env bash
# A throwaway three-node RabbitMQ cluster for tests, next to (and never touching) the machine's
# rabbit@localhost: nodes tributary-c1..c3@localhost, AMQP on 127.0.0.1:5681-5683, Erlang
# distribution on 25681-25683, no plugins (no management), own cookie and data in a temp folder.
#   rabbit-cluster.sh start          -> starts the nodes and joins c2, c3 to c1 (~30 s)
#   rabbit-cluster.sh ctl N args...  -> rabbitmqctl -n tributary-cN@localhost args (own cookie)
#   rabbit-cluster.sh pid N          -> the OS pid of node N
#   rabbit-cluster.sh stop           -> kills the pids this script started, removes the folder
# The folder is ${TRIBUTARY_RABBIT_CLUSTER_DIR:-/tmp/tributary-rabbit-cluster-$UID}.
set -euo pipefail
DIR="${TRIBUTARY_RABBIT_CLUSTER_DIR:-/tmp/tributary-rabbit-cluster-$(id -u)}"
BIN=/usr/lib/rabbitmq/bin
NODES=(1 2 3)

name() { echo "tributary-c$1@localhost"; }

# the environment of node N (and of rabbitmqctl talking to it): nothing from /etc/rabbitmq
env_of() {
  local n="$1"
  echo HOME="$DIR" RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf" RABBITMQ_NODENAME="$(name "$n")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="568$n" RABBITMQ_DIST_PORT="2568$n" \
    RABBITMQ_CONFIG_FILE="$DIR/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config" \
    RABBITMQ_MNESIA_BASE="$DIR/c$n/mnesia" RABBITMQ_LOG_BASE="$DIR/c$n/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" RABBITMQ_PID_FILE="$DIR/c$n.erl.pid" \
    ERL_EPMD_ADDRESS=127.0.0.1
}

ctl() {
  local n="$1"
  shift
  env $(env_of "$n") "$BIN/rabbitmqctl" -n "$(name "$n")" "$@"
}

start_node() {
  local n="$1"
  mkdir -p "$DIR/c$n/mnesia" "$DIR/c$n/log"
  # the script execs erl: $! is the Erlang VM
  env $(env_of "$n") setsid "$BIN/rabbitmq-server" >"$DIR/c$n/stdout.log" 2>&1 </dev/null &
  echo $! >"$DIR/c$n.pid"
}

start() {
  stop
  mkdir -p "$DIR"
  head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/.erlang.cookie"
  chmod 400 "$DIR/.erlang.cookie"
  : >"$DIR/rabbitmq-env.conf"
  echo '[].' >"$DIR/enabled_plugins"
  echo '[].' >"$DIR/advanced.config"
  printf 'loopback_users = none\nlog.console = false\nlog.file.level = warning\n' >"$DIR/rabbitmq.conf"
  for n in "${NODES[@]}"; do start_node "$n"; done
  for n in "${NODES[@]}"; do ctl "$n" wait --timeout 120 "$DIR/c$n.erl.pid" >/dev/null; done
  for n in 2 3; do
    ctl "$n" stop_app >/dev/null
    ctl "$n" join_cluster "$(name 1)" >/dev/null
    ctl "$n" start_app >/dev/null
  done
  ctl 1 await_online_nodes 3 --timeout 60 >/dev/null 2>&1 || true
}

stop() {
  for n in "${NODES[@]}"; do
    for file in "$DIR/c$n.pid" "$DIR/c$n.erl.pid"; do
      [ -f "$file" ] || continue
      pid="$(cat "$file")"
      # only a process of one of this script's nodes (its environment names the node)
      if [ -n "$pid" ] && tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qx "RABBITMQ_NODENAME=tributary-c$n@localhost"; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
  done
  rm -rf "$DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  ctl) shift; ctl "$@" ;;
  pid) cat "$DIR/c$2.erl.pid" 2>/dev/null || cat "$DIR/c$2.pid" ;;
  *) echo "usage: $0 start|stop|ctl N ...|pid N" >&2; exit 2 ;;
esac
