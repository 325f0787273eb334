# Helpers the bench scripts share (sourced, not run).

wait_for() { # log file -> base url, once `kontor serve` has printed it
  for _ in $(seq 1 300); do
    local b; b=$(sed -n 's/^.* listening on //p' "$1" | head -n1)
    [ -n "$b" ] && { echo "$b"; return; }
    sleep 0.1
  done
  cat "$1" >&2; exit 1
}
served() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; } # wrk output -> requests
errors() { local e; e=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$1"); echo "${e:-0}"; }
# CPU time of the whole box (all processes, user + system), in clock ticks.
box_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
