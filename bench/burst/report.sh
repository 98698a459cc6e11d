# shellcheck shell=bash
# The burst runner's report, from the files its bursts leave in the state directory; no timing happens here.
#
#   source bench/lib/stats.sh; source bench/burst/report.sh
#   burst_report STATE MULTI_CASE LEFT_UNDERPOOL LEFT_HOST_LOCAL
#   agent_metrics_line NODE "$(curl -s --unix-socket SOCK http://agent/metrics)"

# One table row per case and verb present in STATE (files CASE.VERB.{wall,us,failures,cpu}), ratios to host-local.
burst_report() {
  local state=$1 multi=$2 left=$3 hl_left=$4 verb name hl_med
  printf '%-18s %-4s %9s %9s %9s %8s %8s %5s %7s %8s\n' \
    case verb wall_med wall_min wall_max p50_ms p99_ms fail cpu_ms ratio
  for verb in ADD DEL; do
    hl_med=""
    [ -s "$state/host-local-1node.$verb.wall" ] && read -r hl_med _ < <(stats <"$state/host-local-1node.$verb.wall")
    for name in underpool-1node host-local-1node "$multi"; do
      [ -s "$state/$name.$verb.wall" ] || continue
      local wmed wmin wmax p50 p99 fail cpu rest
      read -r wmed _ wmin wmax < <(stats <"$state/$name.$verb.wall")
      read -r p50 p99 rest < <(stats <"$state/$name.$verb.us")
      fail=$(awk '{s += $1} END {print s + 0}' "$state/$name.$verb.failures")
      cpu=$(sort -n "$state/$name.$verb.cpu" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
      printf '%-18s %-4s %9s %9s %9s %8s %8s %5s %7s %8s\n' \
        "$name" "$verb" "$wmed" "$wmin" "$wmax" "$p50" "$p99" "$fail" "$cpu" "$(ratio "$wmed" "$hl_med")"
    done
  done
  echo "wall: ms until every call of the burst returned (median, min-max over rounds); p50/p99: one call's ms over"
  echo "every round; cpu_ms: CPU of the plugin processes and agents per burst (median); ratio: wall median / host-local's"
  echo "left after the DELs: underpool $left allocations, host-local $hl_left"
}

# agent_metrics_line NODE BEFORE AFTER: one line from two scrapes of the agent's Prometheus text (what happened
# between them): ADDs served, mean and p99 (the upper bound of the histogram bucket holding it) of the agent's own
# time per ADD, commit collisions and failures.
agent_metrics_line() {
  printf '%s\n#UPB-AFTER\n%s\n' "$2" "$3" | awk -v node="$1" '
    BEGIN { w = -1 }
    /^#UPB-AFTER$/ { w = 1 }
    /^underpool_request_duration_seconds_sum\{verb="add"\}/ { sum += w * $2 }
    /^underpool_request_duration_seconds_count\{verb="add"\}/ { count += w * $2 }
    /^underpool_request_duration_seconds_bucket\{verb="add",le="[0-9.eE+-]+"\}/ {
      le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le)
      if (!(le in cum)) { n++; bound[n] = le }
      cum[le] += w * $2 }
    /^underpool_commit_collisions_total / { collisions += w * $2 }
    /^underpool_failures_total/ { failures += w * $2 }
    END {
      p99 = "-"
      for (i = 1; i <= n; i++) if (cum[bound[i]] >= 0.99 * count) { p99 = sprintf("%.2f", bound[i] * 1000); break }
      mean = count > 0 ? sprintf("%.2f", sum / count * 1000) : "-"
      printf "agent %s: %d ADDs, its own time per ADD mean %s ms, p99 <= %s ms; %d commit collisions, %d failures\n",
        node, count, mean, p99, collisions, failures
    }'
}
