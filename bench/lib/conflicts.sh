# shellcheck shell=bash
# Counting what conflict probing quarantined during a benchmark, and who "answered" for it. A lab holds no foreign
# host, so every quarantined address is a false conflict; the MACs say whether one of our own nodes' uplinks or pods
# answered (issue 11).
#
#   source bench/lib/conflicts.sh
#   conflicts_counted POOL METRICS_FILE...       # quarantined in POOL: the sum of underpool_conflicts_total, or "-"
#   conflicts_list "$bin" SOCKET >list           # the quarantine now: "ADDRESS POOL MAC" lines
#   conflicts_new POOL before after              # addresses of POOL in list "after" and not in list "before"
#   conflicts_by_holder list macs                # one line: how many, answered by whom ("MAC kind" lines in macs)
#   uplink_macs PREFIX NODES >>macs              # "MAC node" for each lab node's eth0
#   answer_macs ANSWER_FILE... >>macs            # "MAC pod" for each interface in macvlan's ADD answers

# conflicts_counted POOL FILE...: the agents' conflict counters for POOL, summed over their scrapes (Prometheus text,
# one file per agent). "-" when no agent exports the counter at all (a renamed metric must not read as zero).
conflicts_counted() {
  local pool=$1
  shift
  awk -v pool="$pool" '
    /^# HELP underpool_conflicts_total / { seen = 1 }
    $1 == "underpool_conflicts_total{pool=\"" pool "\"}" { sum += $2 }
    END { if (seen) printf "%d\n", sum; else print "-" }' "$@"
}

# conflicts_list BIN SOCKET: the addresses quarantined now (cluster-wide, as the agent at SOCKET sees the store).
conflicts_list() {
  "$1/underpoolctl" --socket "$2" conflict list -o json | tr -d '\n' | grep -o '{[^{}]*"address"[^{}]*}' |
    awk '{
      a = $0; p = $0; m = $0
      sub(/.*"address": *"/, "", a); sub(/".*/, "", a)
      sub(/.*"pool": *"/, "", p); sub(/".*/, "", p)
      sub(/.*"mac": *"/, "", m); sub(/".*/, "", m)
      print a, p, tolower(m)
    }' || true
}

# conflicts_new POOL BEFORE AFTER: how many addresses of POOL the quarantine gained between two conflicts_list files
# (distinct addresses, where the counters count every conflict the agents met, the same address again included).
conflicts_new() {
  awk -v pool="$1" 'FILENAME == ARGV[1] { old[$1] = 1; next } $2 == pool && !($1 in old) { n++ } END { print n + 0 }' \
    "$2" "$3"
}

# conflicts_by_holder LIST MACS: LIST from conflicts_list, MACS lines "MAC node|pod" of every uplink and pod the
# benchmark made.
conflicts_by_holder() {
  awk 'FILENAME == ARGV[1] { kind[tolower($1)] = $2; next }
    { n++; k = ($3 in kind) ? kind[$3] : "other"; by[k]++ }
    END { printf "%d quarantined: %d answered by our nodes'"'"' uplinks, %d by our pods, %d by other MACs\n",
      n, by["node"], by["pod"], by["other"] }' "$2" "$1"
}

# uplink_macs PREFIX NODES: the MAC of each lab node's uplink (eth0), as "MAC node" lines.
uplink_macs() {
  local n
  for ((n = 1; n <= $2; n++)); do
    ip -n "$1node$n" -o link show eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "link/ether") print $(i + 1), "node" }'
  done
}

# answer_macs FILE...: the MACs of the pod interfaces in CNI ADD answers (macvlan's), as "MAC pod" lines.
answer_macs() {
  grep -ho '"mac": *"[^"]*"' "$@" | sed 's/.*"\([^"]*\)"$/\1 pod/' || true
}
