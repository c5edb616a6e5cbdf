#!/bin/sh
# Container entry point (Dockerfile): `api` runs the HTTP API, `worker` a Temporal worker,
# `migrate` (and any other `gatehouse` command, e.g. `users add`) the command line once;
# anything else runs as given (e.g. `sh`). The process replaces this shell, so it is PID 1 and
# receives the container's SIGTERM itself (both processes drain on it).
set -eu
cd "$(dirname "$0")/.."
command=${1:-api}
[ "$#" -eq 0 ] || shift
case "$command" in
  api) exec node --import tsx server/main.ts "$@" ;;
  worker) exec node --import tsx worker/main.ts "$@" ;;
  migrate | users | template | projects) exec node bin/gatehouse.js "$command" "$@" ;;
  *) exec "$command" "$@" ;;
esac
