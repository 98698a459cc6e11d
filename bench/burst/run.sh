#!/usr/bin/env bash
# Burst: PODS concurrent CNI ADDs, as a node draining or a rollout hits the IPAM, then as many DELs. Each ADD is a
# real plugin process exec'd the way a runtime does it: `ip netns exec NODE` with the CNI variables and the config
# on stdin, its own container id and netns. The cases of a round, in this order every round so drift hits all:
#   underpool-1node         the PODS ADDs on node1, one agent, a pool with conflict probing off
#   underpool-1node-probe   the same from a pool with probing on (the default users get)
#   host-local-1node        the same with the reference host-local (its own data dir)
#   underpool-Nnodes        the PODS ADDs spread over NODES lab nodes, one agent per node, one shared store
#   underpool-Nnodes-probe  the same from the pool with probing on
# (--probe on or off keeps only the Underpool cases of that kind.) The agents probe inside their node's namespace
# (--uplink-netns), never on this machine's links; the lab has no foreign host, so every address a probe quarantines
# is a false conflict (issue 11). Reports, per case: wall time until every ADD has its address (median, min-max over
# rounds), per-ADD latency (p50, p99 over all rounds), failures, quarantined addresses and the conflicts the agents
# met, the ratio to host-local, the DEL burst's wall time, the CPU the burst cost (plugin processes and agents), each
# agent's own view from GET /metrics, and who answered for every address seen in quarantine (by MAC: our nodes'
# uplinks, our pods, or another host). Exits non-zero when a call without probing failed or an address was left.
#
# Usage (root, after scripts/build.sh): bench/burst/run.sh [--pods 100] [--rounds 3] [--nodes 3]
#     [--shape ipam|macvlan] [--probe both|on|off] [--store embedded | --store etcd --etcd-endpoints URLS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
source "$root/scripts/lab.sh"
source "$root/bench/lib/stats.sh"
source "$root/bench/lib/agents.sh"
source "$root/bench/lib/conflicts.sh"
source "$root/bench/burst/options.sh"
source "$root/bench/burst/report.sh"
burst_parse_options "$@" || exit 2

prefix=$(lab_new_prefix upb)
state=$(mktemp -d /tmp/upb-burst-XXXXXX)
agent_pids=() call_pids=()
cleanup() {
  # The calls of an interrupted burst first (their plugins inside the namespaces go with lab_down below).
  stop_all "${call_pids[@]}"
  stop_all "${agent_pids[@]}"
  # Also kills any plugin still running inside a node namespace (an interrupted burst).
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above still removes what it made.
trap 'exit 130' INT TERM HUP PIPE

# 172.20.0.0/16 inside the lab; nodes hold the top addresses. The pool without probing draws from the lower half,
# the one with probing from the upper half, host-local from the lower half (it never runs beside the first).
lab_up "$prefix" "$nodes" 172.20.0.0/16
store_flags=(--store embedded --data-dir "$state/store")
if [ "$store" = etcd ]; then
  # A key prefix of this run's own, so runs never see each other's pools.
  store_flags=(--store etcd --etcd-endpoints "$etcd_endpoints" --etcd-prefix "/$prefix")
fi
for ((n = 1; n <= nodes; n++)); do
  # Probing is the pool's choice (below); where a pool probes, the agent probes inside the node's namespace.
  agent_start "$bin" "node$n" "$state/node$n.sock" "$state/node$n.log" "${store_flags[@]}" \
    --uplink-netns "/var/run/netns/${prefix}node$n"
  agent_pids+=("$agent_pid")
done
"$bin/underpoolctl" --socket "$state/node1.sock" pool create burst --subnet 172.20.0.0/17 \
  --ranges 172.20.1.0-172.20.127.254 --probe off >/dev/null
"$bin/underpoolctl" --socket "$state/node1.sock" pool create burst-probe --subnet 172.20.128.0/17 \
  --ranges 172.20.128.1-172.20.254.254 --probe on >/dev/null

ipam_json() { # $1 = underpool|host-local, $2 = node number, $3 = the Underpool pool
  if [ "$1" = underpool ]; then
    printf '{"type":"underpool","socket":"%s","pools":{"ipv4":["%s"]}}' "$state/node$2.sock" "$3"
  else
    printf '{"type":"host-local","ranges":[[{"subnet":"172.20.0.0/17","rangeStart":"172.20.1.0","rangeEnd":"172.20.127.254"}]],"dataDir":"%s"}' "$state/host-local"
  fi
}
# An IPAM plugin reads only the ipam section, so both shapes use the same config.
net_conf() { printf '{"cniVersion":"1.0.0","name":"burst","type":"macvlan","master":"eth0","mode":"bridge","ipam":%s}' "$(ipam_json "$1" "$2" "$3")"; }

# One CNI call, timed with bash's own clock (no extra process); prints "exit-code microseconds". The ADD's
# answer goes to $5 so the burst can check that it holds an address.
one_call() { # $1 verb, $2 plugin, $3 node number, $4 pod id, $5 answer file, $6 config
  local start=$EPOCHREALTIME rc=0 netns=/var/run/netns/${prefix}$4
  ip netns exec "${prefix}node$3" env CNI_COMMAND="$1" CNI_CONTAINERID="$4" CNI_NETNS="$netns" CNI_IFNAME=eth0 \
    CNI_PATH="$bin:/usr/lib/cni" "$2" <<<"$6" >"$5" 2>&1 || rc=$?
  local end=$EPOCHREALTIME
  echo "$rc $((${end/./} - ${start/./}))"
}

# burst CASE IPAM NODES POOL VERB ROUND: fires PODS calls at once (pod p on node (p-1)%NODES+1) and waits for all.
# Appends per-call latencies to $state/CASE.VERB.us, the wall time to $state/CASE.VERB.wall, failures to
# $state/CASE.VERB.failures and the CPU used in ms to $state/CASE.VERB.cpu: "CALLS AGENTS", CALLS being the plugin
# processes with everything they exec (ip netns exec, macvlan, the IPAM plugin), AGENTS every agent of the lab.
burst() {
  local name=$1 ipam=$2 used=$3 pool=$4 verb=$5 round=$6
  local dir="$state/$name.$verb.$round" plugin="$bin/underpool" p n confs=()
  call_pids=()
  [ "$ipam" = host-local ] && plugin=/usr/lib/cni/host-local
  [ "$shape" = macvlan ] && plugin=/usr/lib/cni/macvlan
  mkdir "$dir"
  for ((n = 1; n <= used; n++)); do confs[n]=$(net_conf "$ipam" "$n" "$pool"); done
  if [ "$shape" = macvlan ] && [ "$verb" = ADD ]; then
    for ((p = 1; p <= pods; p++)); do ip netns add "${prefix}r${round}p$p"; done
  fi
  local cpu0 agents0 start end
  # Let the previous burst's tail (the agents' background JIT tier-up, GC, exiting processes) finish first, so it
  # lands in neither case's figures.
  sleep 0.5
  cpu0=$(children_cpu_ticks); agents0=$(agents_cpu_ticks)
  start=$EPOCHREALTIME
  for ((p = 1; p <= pods; p++)); do
    n=$(((p - 1) % used + 1))
    one_call "$verb" "$plugin" "$n" "r${round}p$p" "$dir/$p.out" "${confs[n]}" >"$dir/$p.time" &
    call_pids+=($!)
  done
  # Only the calls: the agents are children of this shell too.
  wait "${call_pids[@]}" || true
  end=$EPOCHREALTIME
  echo $((${end/./} - ${start/./})) >>"$state/$name.$verb.wall"
  echo "$((($(children_cpu_ticks) - cpu0) * 1000 / clk_tck)) $((($(agents_cpu_ticks) - agents0) * 1000 / clk_tck))" >>"$state/$name.$verb.cpu"
  local failed=0 rc us
  for ((p = 1; p <= pods; p++)); do
    read -r rc us <"$dir/$p.time"
    echo "$us" >>"$state/$name.$verb.us"
    if [ "$rc" != 0 ] || { [ "$verb" = ADD ] && ! grep -q '"address"' "$dir/$p.out"; }; then
      failed=$((failed + 1))
      [ "$failed" -gt 3 ] || echo "burst: $name $verb r${round}p$p failed (exit $rc): $(head -c 300 "$dir/$p.out")" >&2
    fi
  done
  echo "$failed" >>"$state/$name.$verb.failures"
  # Kept across the warm-up reset: a failure there is still a failure. A probing case's failures are kept apart: they
  # are what issue 11 measures (false conflicts exhausting the tries), reported, not a broken benchmark.
  if [[ $name == *-probe ]]; then echo "$failed" >>"$state/probe-calls.failed"; else echo "$failed" >>"$state/all-calls.failed"; fi
  # The pods' MACs, to tell our own pods from other hosts among those that answered a probe.
  [ "$shape" = macvlan ] && [ "$verb" = ADD ] && answer_macs "$dir"/*.out >>"$state/macs"
  if [ "$shape" = macvlan ] && [ "$verb" = DEL ]; then
    for ((p = 1; p <= pods; p++)); do ip netns delete "${prefix}r${round}p$p"; done
  fi
  rm -rf "$dir"
}

clk_tck=$(getconf CLK_TCK)
# CPU of every process this shell has waited for (the calls and whatever they started), in clock ticks.
children_cpu_ticks() { local rest; rest=$(<"/proc/$$/stat"); rest=${rest##*) }; awk '{print $14 + $15}' <<<"$rest"; }
agents_cpu_ticks() { local pid sum=0; for pid in "${agent_pids[@]}"; do sum=$((sum + $(agent_cpu_ticks "$pid"))); done; echo "$sum"; }

# Cases: "NAME IPAM NODES POOL", in the order they run each round.
cases=()
[ "$probe" != on ] && cases+=("underpool-1node underpool 1 burst")
[ "$probe" != off ] && cases+=("underpool-1node-probe underpool 1 burst-probe")
cases+=("host-local-1node host-local 1 -")
if [ "$nodes" -gt 1 ]; then
  [ "$probe" != on ] && cases+=("underpool-${nodes}nodes underpool $nodes burst")
  [ "$probe" != off ] && cases+=("underpool-${nodes}nodes-probe underpool $nodes burst-probe")
fi
echo "Burst: $pods concurrent CNI ADDs then DELs ($shape shape, $store store, probing ${probe/both/off and on}), $rounds rounds; $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
scrape() { curl -s --max-time 5 --unix-socket "$state/node$1.sock" http://agent/metrics; }
scrape_all() { local n; for ((n = 1; n <= nodes; n++)); do scrape "$n" >"$state/node$n.$1" || true; done; }
# Round 0 warms up (JIT in the agents, the probe path, binaries in the page cache) and is not reported.
for ((r = 0; r <= rounds; r++)); do
  if [ "$r" = 1 ]; then
    scrape_all metrics0
    rm -f "$state"/*.wall "$state"/*.us "$state"/*.failures "$state"/*.cpu "$state"/*.quarantined "$state"/*.conflicts
  fi
  for c in "${cases[@]}"; do
    read -r name ipam used pool <<<"$c"
    if [ "$ipam" = underpool ]; then
      scrape_all before
      conflicts_list "$bin" "$state/node1.sock" >"$state/quarantine.before"
    fi
    burst "$name" "$ipam" "$used" "$pool" ADD "$r"
    if [ "$ipam" = underpool ]; then
      # Quarantined: the addresses the pool's quarantine gained during the ADDs (distinct, as the store holds them).
      conflicts_list "$bin" "$state/node1.sock" >"$state/quarantine.after"
      conflicts_new "$pool" "$state/quarantine.before" "$state/quarantine.after" >>"$state/$name.ADD.quarantined"
      cat "$state/quarantine.after" >>"$state/quarantine.seen"
    fi
    burst "$name" "$ipam" "$used" "$pool" DEL "$r"
    if [ "$ipam" = underpool ]; then
      # Conflicts: the agents' conflict counters for the pool over both bursts (an address met again counts again).
      scrape_all after
      before=$(conflicts_counted "$pool" "$state"/node*.before) after=$(conflicts_counted "$pool" "$state"/node*.after)
      if [ "$before" = - ] || [ "$after" = - ]; then echo -; else echo $((after - before)); fi >>"$state/$name.ADD.conflicts"
    fi
  done
done

# Every DEL released what its ADD took: nothing may be left in either IPAM.
left=$("$bin/underpoolctl" --socket "$state/node1.sock" ip list -o json | grep -c '"address"' || true)
hl_left=$(find "$state/host-local" -type f -name '172.*' 2>/dev/null | wc -l)
names=()
for c in "${cases[@]}"; do names+=("${c%% *}"); done
burst_report "$state" "$left" "$hl_left" "${names[@]}"
for ((n = 1; n <= nodes; n++)); do
  agent_metrics_line "node$n" "$(<"$state/node$n.metrics0")" "$(scrape "$n")"
done
# Every address seen in quarantine right after an ADD burst (the pods still up), whoever answered for it.
uplink_macs "$prefix" "$nodes" >>"$state/macs"
sort -u -k1,1 "$state/quarantine.seen" 2>/dev/null >"$state/quarantine" || true
echo "quarantined during the run (warm-up included): $(conflicts_by_holder "$state/quarantine" "$state/macs")"
failed=$(cat "$state/all-calls.failed" 2>/dev/null | awk '{s += $1} END {print s + 0}')
probe_failed=$(cat "$state/probe-calls.failed" 2>/dev/null | awk '{s += $1} END {print s + 0}')
echo "failed calls in all rounds, warm-up included: $failed without probing, $probe_failed with probing on"
# Failures without probing, or anything left, mean the benchmark itself went wrong.
[ "$failed" -eq 0 ] && [ "$left" -eq 0 ] && [ "$hl_left" -eq 0 ]
