#!/bin/sh
# A stand-in `openshell` for the startup bench: answers the two calls `list` makes
# (`status -o json`, `sandbox list -o json`) at once, so the bench measures nemoclaw's own cost
# plus one process start, not a gateway round trip.
case "$1 $2" in
  "status -g") echo '{"gateway":"nemoclaw","status":"connected","version":"0.0.111"}' ;;
  "sandbox list") echo '[]' ;;
  *) echo "bench stub: $*" >&2; exit 64 ;;
esac
