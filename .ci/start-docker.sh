#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the docker runtime tests.
# Idempotent, reads no stdin, and always exits 0: when no engine can be
# started it prints a WARNING and the docker tests skip loudly (or fail in CI
# with LBLAB_REQUIRE_DOCKER=1).
set -u

log_file=/tmp/dockerd.log
wait_s=60

engine_up() { docker info >/dev/null 2>&1; }
warn() { echo "WARNING: start-docker: $*" >&2; exit 0; }

if engine_up; then
  echo "start-docker: engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  warn "DOCKER_HOST=${DOCKER_HOST} does not answer; not starting a local dockerd for a remote host"
fi

installed=""
if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    warn "dockerd is missing and cannot be installed here (need root and apt-get); docker tests will skip"
  fi
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } </dev/null >/tmp/docker-install.log 2>&1; then
    warn "apt-get install docker.io failed (see /tmp/docker-install.log); docker tests will skip"
  fi
  installed="installed docker.io, "
fi

if [ "$(id -u)" != 0 ]; then
  warn "no engine answers and dockerd needs root; docker tests will skip"
fi

# A dockerd that is still starting (from an earlier run) is given the chance to finish.
if ! pgrep -x dockerd >/dev/null 2>&1; then
  # A stale pid file from a dead daemon stops a new one from starting.
  rm -f /var/run/docker.pid
  setsid nohup dockerd >"$log_file" 2>&1 </dev/null &
  started="started dockerd (log $log_file)"
else
  started="waited for the running dockerd"
fi

for _ in $(seq 1 "$wait_s"); do
  if engine_up; then
    echo "start-docker: ${installed}${started}; engine $(docker version --format '{{.Server.Version}}' 2>/dev/null) answers"
    exit 0
  fi
  sleep 1
done

warn "${installed}${started} but 'docker info' did not answer within ${wait_s}s; last log lines: $(tail -n 5 "$log_file" 2>/dev/null | tr '\n' ' ')"
