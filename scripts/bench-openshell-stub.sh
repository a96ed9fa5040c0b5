#!/bin/sh
# A stand-in `openshell` for the startup bench: answers the one call `list` makes
# (`sandbox list -g <gateway> -o json --all-workspaces`) with a static answer, as cheaply as a
# compiled binary would: one `sh` start, the answer from the environment through the printf
# builtin, no other process. The bench measures this stub alone too and prints what it costs.
case "$1 $2" in
  "sandbox list") printf '%s\n' "${BENCH_OPENSHELL_SANDBOXES:-[]}" ;;
  "status -g") printf '%s\n' '{"gateway":"nemoclaw","status":"connected","version":"0.0.111"}' ;;
  *) echo "bench stub: $*" >&2; exit 64 ;;
esac
