# Helpers shared by scripts/services/*.sh. Sourced, never run; named .bash so that
# scripts/services.sh (which picks up every services/*.sh as a broker) does not take it for one.
# Every helper prints ✔ / … / ✘ lines, waits only for bounded times and returns non-zero
# with a message that says what to do.

# shellcheck disable=SC2034 # used by the files that source this one
SERVICES_CACHE="${TRIBUTARY_CACHE:-$HOME/.cache/tributary}"
SERVICES_WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-90}"

# port → 0 when something accepts TCP connections on 127.0.0.1:port
svc_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# name port check-command → waits (bounded) until the port is open and the check passes
svc_wait() {
  local name=$1 port=$2 check=$3 i
  for ((i = 0; i < SERVICES_WAIT_SECONDS; i++)); do
    if svc_port_open "$port" && eval "$check" >/dev/null 2>&1; then echo "✔ $name answers on 127.0.0.1:$port"; return 0; fi
    sleep 1
  done
  echo "✘ $name does not answer on 127.0.0.1:$port after ${SERVICES_WAIT_SECONDS}s." >&2
  return 1
}

svc_can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# debian-package → installs it when we are root with apt-get, or says how to
svc_apt_install() {
  if ! svc_can_apt; then
    echo "✘ $1 is not installed. Install it (Debian: sudo apt-get install -y $1) and run this again." >&2
    return 1
  fi
  echo "… installing $1 with apt-get"
  { [ -n "${APT_UPDATED:-}" ] || apt-get update -qq; } && APT_UPDATED=1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

# The brokers run from Maven Central jars (ElasticMQ, Artemis) below need these.

# name → 0 when java 17+ is on PATH, else a message
svc_require_java() {
  if ! command -v java >/dev/null 2>&1; then
    echo "✘ $1 needs Java 17 or newer, and \`java\` is not on PATH. Install a JDK (Debian: sudo apt-get install -y openjdk-17-jdk-headless) and run this again." >&2
    return 1
  fi
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  if [ -n "$major" ] && [ "$major" -lt 17 ]; then
    echo "✘ $1 needs Java 17 or newer; \`java\` is version $major. Install a newer JDK and put it first on PATH." >&2
    return 1
  fi
}

# name pom-dir lib-dir → copies the pom's runtime dependencies into lib-dir once. The marker
# lib-dir/.complete holds the pom's checksum, so Maven runs again only when the pom changed.
svc_maven_jars() {
  local name=$1 pom=$2 lib=$3 sum
  sum="$(sha256sum "$pom/pom.xml" | cut -d' ' -f1)"
  if [ "$(cat "$lib/.complete" 2>/dev/null)" = "$sum" ]; then return 0; fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "✘ The $name jars are not in $lib yet, and Maven (\`mvn\`) is needed to fetch them from Maven Central. Install it (Debian: sudo apt-get install -y maven) and run this again." >&2
    return 1
  fi
  echo "… copying the $name jars from Maven Central into $lib (once)"
  rm -rf "$lib" && mkdir -p "$lib"
  if ! (cd "$pom" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib") >"$lib/../maven.log" 2>&1; then
    echo "✘ Maven could not fetch the $name jars (is Maven Central reachable?). The end of its output ($lib/../maven.log):" >&2
    tail -30 "$lib/../maven.log" >&2
    return 1
  fi
  echo "$sum" >"$lib/.complete"
}

# pid-file cmdline-pattern → prints the pid when that process lives and is the one we started
svc_pid() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$2" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# pid-file log-file work-dir command… → starts the command in its own session (it outlives this
# script and its terminal), output appended to the log, and writes its pid
svc_spawn() {
  local pidfile=$1 log=$2 dir=$3
  shift 3
  : >"$log"
  (
    cd "$dir" || exit 1
    exec setsid nohup "$@" >>"$log" 2>&1 </dev/null 9>&-
  ) &
  echo $! >"$pidfile"
}

# name pid port log ready-pattern → waits (bounded) until the log shows the pattern and the
# port is open; fails at once, with the log's end, when the process exits
svc_wait_started() {
  local name=$1 pid=$2 port=$3 log=$4 ready=$5 i
  for ((i = 0; i < SERVICES_WAIT_SECONDS * 4; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "✘ $name exited during startup; the end of $log:" >&2
      tail -20 "$log" >&2
      return 1
    fi
    if grep -q -- "$ready" "$log" && svc_port_open "$port"; then
      echo "✔ $name answers on 127.0.0.1:$port (pid $pid, started in $(printf "%d.%02d" $((i / 4)) $(((i % 4) * 25)))s)"
      return 0
    fi
    sleep 0.25
  done
  echo "✘ $name did not answer on 127.0.0.1:$port within ${SERVICES_WAIT_SECONDS}s; it is left running (pid $pid). See $log." >&2
  return 1
}

# name pid-file cmdline-pattern → stops our own process (TERM, KILL after 30 s); never another
svc_stop_pid() {
  local name=$1 pidfile=$2 pattern=$3 pid i
  if pid="$(svc_pid "$pidfile" "$pattern")"; then
    echo "… stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "… $name did not stop within 30s: killing pid $pid"
      kill -KILL "$pid" 2>/dev/null
      sleep 0.5
    fi
    echo "✔ $name stopped"
  else
    echo "✔ $name is not running from these scripts (no live pid in $pidfile)"
  fi
  rm -f "$pidfile"
}

# lock-file → takes an exclusive lock on fd 9 (bounded wait), so two runs never start the same
# broker twice; the lock goes with this shell (svc_spawn closes fd 9 in the broker)
svc_lock() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  flock -w 300 9 || { echo "✘ another run holds $1 for 5 minutes; remove it if none is running." >&2; return 1; }
}
svc_unlock() { exec 9>&-; }
