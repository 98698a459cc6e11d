# shellcheck shell=bash
# The burst runner's report, from the files its bursts leave in the state directory; no timing happens here.
#
#   source bench/lib/stats.sh; source bench/burst/report.sh
#   burst_report STATE LEFT_UNDERPOOL LEFT_HOST_LOCAL CASE...
#   agent_metrics_line NODE "$(curl -s --unix-socket SOCK http://agent/metrics)"

# One table row per case and verb present in STATE (files CASE.VERB.{wall,us,failures,cpu}, and
# CASE.ADD.{quarantined,conflicts} for Underpool's cases), ratios to host-local.
burst_report() {
  local state=$1 left=$2 hl_left=$3 verb name hl_med
  shift 3
  printf '%-24s %-4s %9s %9s %9s %8s %8s %5s %11s %9s %8s %9s %6s\n' \
    case verb wall_med wall_min wall_max p50_ms p99_ms fail quarantined conflicts call_cpu agent_cpu ratio
  for verb in ADD DEL; do
    hl_med=""
    [ -s "$state/host-local-1node.$verb.wall" ] && read -r hl_med _ < <(stats <"$state/host-local-1node.$verb.wall")
    for name in "$@"; do
      [ -s "$state/$name.$verb.wall" ] || continue
      local wmed wmin wmax p50 p99 fail calls agents rest
      read -r wmed _ wmin wmax < <(stats <"$state/$name.$verb.wall")
      read -r p50 p99 rest < <(stats <"$state/$name.$verb.us")
      fail=$(awk '{s += $1} END {print s + 0}' "$state/$name.$verb.failures")
      calls=$(cut -d' ' -f1 "$state/$name.$verb.cpu" | median)
      agents=$(cut -d' ' -f2 "$state/$name.$verb.cpu" | median)
      printf '%-24s %-4s %9s %9s %9s %8s %8s %5s %11s %9s %8s %9s %6s\n' "$name" "$verb" "$wmed" "$wmin" "$wmax" \
        "$p50" "$p99" "$fail" "$(rounds_sum "$state/$name.$verb.quarantined")" "$(rounds_sum "$state/$name.$verb.conflicts")" \
        "$calls" "$agents" "$(ratio "$wmed" "$hl_med")"
    done
  done
  echo "wall: ms until every call of the burst returned (median, min-max over rounds); p50/p99: one call's ms over"
  echo "every round; fail: calls that failed; quarantined: addresses the pool's quarantine gained during the ADDs"
  echo "(distinct); conflicts: conflicts the agents' probes met over the ADDs and DELs (their counters: an address met"
  echo "again counts again); these three summed over the rounds (a -probe case's pool probes, the others' do not);"
  echo "call_cpu / agent_cpu: ms of CPU per burst (median) used by the calls' processes (ip netns exec and the plugins"
  echo "it runs) / by the agents; ratio: wall median / host-local's"
  echo "left after the DELs: underpool $left allocations, host-local $hl_left"
}

# rounds_sum FILE: the sum of FILE's per-round figures; "-" when there are none, or when a round's is "-" (the agents
# did not export the counter: unknown, not zero).
rounds_sum() {
  if [ -s "$1" ]; then awk '$1 == "-" {u = 1} {s += $1} END {print u ? "-" : s + 0}' "$1"; else echo "-"; fi
}

# The median of integers on stdin (the lower middle one of an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# agent_metrics_line NODE BEFORE AFTER: one line from two scrapes of the agent's Prometheus text (what happened
# between them): ADDs and DELs served, mean and p99 (the upper bound of the histogram bucket holding it) of the
# agent's own time per request, commit collisions, failures, and the address probes it ran (by result).
agent_metrics_line() {
  printf '%s\n#UPB-AFTER\n%s\n' "$2" "$3" | awk -v node="$1" '
    BEGIN { w = -1 }
    /^#UPB-AFTER$/ { w = 1 }
    /^underpool_request_duration_seconds_(sum|count|bucket)\{verb="(add|del)"/ {
      verb = $1; sub(/.*verb="/, "", verb); sub(/".*/, "", verb)
      if ($1 ~ /_sum\{/) sum[verb] += w * $2
      else if ($1 ~ /_count\{/) count[verb] += w * $2
      else if ($1 ~ /le="[0-9.eE+-]+"/) {
        le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le)
        if (!((verb, le) in cum)) { n[verb]++; bound[verb, n[verb]] = le }
        cum[verb, le] += w * $2
      }
    }
    /^underpool_commit_collisions_total / { collisions += w * $2 }
    /^underpool_failures_total/ { failures += w * $2 }
    /^underpool_probe_duration_seconds_count\{/ {
      result = $1; sub(/.*result="/, "", result); sub(/".*/, "", result)
      probes[result] += w * $2
    }
    function summary(verb,   i, p99, mean) {
      p99 = "-"
      for (i = 1; i <= n[verb]; i++) if (cum[verb, bound[verb, i]] >= 0.99 * count[verb]) { p99 = sprintf("<= %.2f", bound[verb, i] * 1000); break }
      # Past the last finite bucket: only a lower bound is known.
      if (p99 == "-" && n[verb] > 0) for (i = n[verb]; i >= 1; i--) if (bound[verb, i] != "+Inf") { p99 = sprintf("> %.2f", bound[verb, i] * 1000); break }
      mean = count[verb] > 0 ? sprintf("%.2f", sum[verb] / count[verb] * 1000) : "-"
      return sprintf("%d %ss, mean %s ms, p99 %s ms", count[verb], toupper(verb), mean, p99)
    }
    END {
      # Results in a fixed order (clear, conflict, error, then any other), so the line reads the same every time.
      split("clear conflict error", order, " ")
      for (i = 1; i <= 3; i++) known[order[i]] = 1
      i = 3
      for (r in probes) if (!(r in known)) order[++i] = r
      for (j = 1; j <= i; j++) if (probes[order[j]] != 0) {
        total += probes[order[j]]; each = each sprintf("%s%d %s", (each == "" ? "" : ", "), probes[order[j]], order[j])
      }
      printf "agent %s, its own time per request: %s; %s; %d commit collisions, %d failures; %d probes%s\n",
        node, summary("add"), summary("del"), collisions, failures, total, (each == "" ? "" : " (" each ")")
    }'
}
