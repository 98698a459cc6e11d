# shellcheck shell=bash
# The scale runner's report, from the files its phases leave in the state directory; no timing happens here.
#
#   source bench/lib/stats.sh; source bench/scale/report.sh
#   scale_report STATE CASE...      # one row per case and verb, ratios to host-local
#   scale_goal STATE PODS CASE...   # the issue's goal (1,000 pods addressed in <= 20 s, no slower than host-local)
#
# Files per case and verb: CASE.VERB.wall (one wall time per round, us), CASE.VERB.us (every call's latency, us),
# CASE.VERB.failed, CASE.VERB.quarantined, CASE.VERB.conflicts and CASE.VERB.dups (one count per round; conflicts
# may hold "-": the agents did not export their counter).

scale_report() {
  local state=$1 verb name hl_med
  shift
  printf '%-20s %-4s %8s %8s %8s %8s %8s %7s %11s %9s %9s %7s %7s %6s\n' \
    case verb wall_s min_s max_s p50_ms p99_ms failed quarantined conflicts dup_addrs calls_s agents_s ratio
  for verb in ADD DEL; do
    hl_med=""
    [ -s "$state/host-local.$verb.wall" ] && read -r hl_med _ < <(stats <"$state/host-local.$verb.wall")
    for name in "$@"; do
      [ -s "$state/$name.$verb.wall" ] || continue
      local wmed wmin wmax p50 p99 rest
      read -r wmed _ wmin wmax < <(stats <"$state/$name.$verb.wall")
      read -r p50 p99 rest < <(stats <"$state/$name.$verb.us")
      printf '%-20s %-4s %8s %8s %8s %8s %8s %7s %11s %9s %9s %7s %7s %6s\n' "$name" "$verb" \
        "$(seconds "$wmed")" "$(seconds "$wmin")" "$(seconds "$wmax")" "$p50" "$p99" \
        "$(per_round "$state/$name.$verb.failed")" "$(per_round "$state/$name.$verb.quarantined")" \
        "$(per_round "$state/$name.$verb.conflicts")" "$(per_round "$state/$name.$verb.dups")" \
        "$(cpu_seconds 1 "$state/$name.$verb.cpu")" "$(cpu_seconds 2 "$state/$name.$verb.cpu")" "$(ratio "$wmed" "$hl_med")"
    done
  done
  echo "wall_s: seconds from the first call until every call of the phase returned (median, min-max over rounds);"
  echo "p50/p99: one call's ms over every round; failed; quarantined: addresses the pool's quarantine gained during the"
  echo "ADDs (distinct); conflicts: conflicts the agents' probes met over the ADDs and DELs (their counters: an address"
  echo "met again counts again); dup_addrs: pods holding an address another pod of the phase also got; each one figure"
  echo "per round; calls_s / agents_s: CPU seconds per phase (median over rounds) used by the calls (nsenter, macvlan,"
  echo "the IPAM plugin) / by the agents; ratio: wall median / host-local's"
}

# scale_goal STATE PODS CASE...: one line per Underpool case on the ADD phase: addressed in <= 20 s, and its ratio.
scale_goal() {
  local state=$1 pods=$2 name hl_med med
  shift 2
  [ -s "$state/host-local.ADD.wall" ] && read -r hl_med _ < <(stats <"$state/host-local.ADD.wall")
  for name in "$@"; do
    [[ $name == host-local ]] && continue
    [ -s "$state/$name.ADD.wall" ] || continue
    read -r med _ < <(stats <"$state/$name.ADD.wall")
    awk -v name="$name" -v pods="$pods" -v s="$(seconds "$med")" -v r="$(ratio "$med" "${hl_med-}")" 'BEGIN {
      printf "goal, %s: %d pods addressed in %.2f s (<= 20 s: %s), %s x host-local (<= 1: %s)\n", name, pods, s,
        (s <= 20 ? "met" : "NOT met"), r, (r == "-" ? "-" : (r + 0 <= 1 ? "met" : "NOT met")) }'
  done
}

# seconds MS: milliseconds (from stats) as seconds with two decimals.
seconds() { awk -v ms="$1" 'BEGIN { if (ms == "-") print "-"; else printf "%.2f\n", ms / 1000 }'; }

# cpu_seconds FIELD FILE: the median over rounds of FILE's FIELD (CPU ms: 1 the calls, 2 the agents), in seconds.
cpu_seconds() {
  if [ -s "$2" ]; then
    cut -d' ' -f"$1" "$2" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f\n", a[int((NR + 1) / 2)] / 1000 }'
  else
    echo "-"
  fi
}

# per_round FILE: the round figures of FILE comma-joined ("0", "3,1,0"); "-" when there are none.
per_round() {
  if [ -s "$1" ]; then paste -sd, "$1"; else echo "-"; fi
}
