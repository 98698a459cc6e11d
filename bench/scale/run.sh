#!/usr/bin/env bash
# Scale: PODS pods on NODES lab nodes through the real macvlan plugin, as a cluster's kubelets would start them, and
# the same with the reference host-local in the same run. One switch, NODES nodes, one underpoold per node, all on
# one store (embedded SQLite, or etcd). Each node gets PODS/NODES pods and runs at most CONCURRENCY CNI calls at once
# (a kubelet's parallel pod starts); the pod namespaces exist before the timer starts, as a runtime creates the
# sandbox before it calls CNI. Per round, in this order every round so drift hits all:
#   underpool-probe-off  Underpool, a pool with conflict probing off
#   underpool-probe-on   Underpool, a pool with probing on (the default users get); the agents probe inside their
#                        node's namespace (--uplink-netns), never on this machine's links
#   host-local           host-local, one dataDir per node: node-local, which is what host-local is, so nodes hand
#                        out the same addresses (counted as dup_addrs; Underpool must have none)
# each: all ADDs (timed until every pod has its address), then all DELs (timed the same way). Each case draws from
# its own /19 so no case ever probes another's pods. Reports per case: wall time, per-call p50/p99, failed calls,
# addresses quarantined by the probes and the conflicts the agents counted, duplicate addresses, the CPU the calls
# and the agents used, the ratio to host-local; then who "answered" for every address seen in quarantine (our nodes'
# uplinks, our pods, or other MACs) and each agent's own view from GET /metrics.
#
# Exits 0 when the run completed, whatever it measured: failed calls and quarantined addresses are figures here.
#
# Usage (root, after scripts/build.sh): bench/scale/run.sh [--pods 1000] [--nodes 10] [--concurrency 10]
#     [--rounds 1] [--probe both|on|off] [--store embedded | --store etcd [--etcd-endpoints URLS]] [--results DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
source "$root/scripts/lab.sh"
source "$root/bench/lib/stats.sh"
source "$root/bench/lib/agents.sh"
source "$root/bench/lib/etcd.sh"
source "$root/bench/lib/conflicts.sh"
source "$root/bench/burst/report.sh"
source "$root/bench/scale/options.sh"
source "$root/bench/scale/report.sh"
scale_parse_options "$@" || exit 2

prefix=$(lab_new_prefix upb)
state=$(mktemp -d /tmp/upb-scale-XXXXXX)
agent_pids=() lane_pids=()
cleanup() {
  # An interrupted phase first: each lane stops its own calls (see lane), the plugins inside the node namespaces go
  # with lab_down below.
  stop_all "${lane_pids[@]}"
  stop_all "${agent_pids[@]}"
  etcd_stop
  # The pod namespaces in one ip process (lab_down takes two per namespace), then the switch and nodes.
  if [ -s "$state/pods.batch" ]; then
    sed 's/^netns add/netns delete/' "$state/pods.batch" | ip -force -batch - 2>/dev/null || true
  fi
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above still removes what it made.
trap 'exit 130' INT TERM HUP PIPE

# 172.20.0.0/16 inside the lab; the nodes hold its top addresses, each case a /19 of its own.
declare -A subnet=([underpool-probe-off]=172.20.32.0/19 [underpool-probe-on]=172.20.64.0/19 [host-local]=172.20.96.0/19)
# A container id prefix per case: no two cases ever share an attachment.
declare -A short=([underpool-probe-off]=upoff [underpool-probe-on]=upon [host-local]=hl)
cases=()
[ "$probe" != on ] && cases+=(underpool-probe-off)
[ "$probe" != off ] && cases+=(underpool-probe-on)
cases+=(host-local)

lab_up "$prefix" "$nodes" 172.20.0.0/16
uplink_macs "$prefix" "$nodes" >"$state/macs"
for ((p = 1; p <= pods; p++)); do echo "netns add ${prefix}p$p"; done >"$state/pods.batch"
ip -batch "$state/pods.batch"

store_flags=(--store embedded --data-dir "$state/store")
if [ "$store" = etcd ]; then
  if [ -z "$etcd_endpoints" ]; then
    etcd_start "$state/etcd"
    etcd_endpoints=$etcd_url
  fi
  # A key prefix of this run's own, so runs never see each other's pools.
  store_flags=(--store etcd --etcd-endpoints "$etcd_endpoints" --etcd-prefix "/$prefix")
fi
agents_start_all "$bin" "$state" "$nodes" "$prefix" "${store_flags[@]}"
ctl() { "$bin/underpoolctl" --socket "$state/node1.sock" "$@"; }
for name in "${cases[@]}"; do
  [ "$name" = host-local ] && continue
  ctl pool create "$name" --subnet "${subnet[$name]}" --probe "${name##*-}" >/dev/null
done

# net_conf CASE NODE: what a runtime on NODE hands macvlan; the IPAM section is all that differs between cases.
net_conf() {
  local ipam
  if [ "$1" = host-local ]; then
    local net=${subnet[host-local]%/*}
    ipam=$(printf '{"type":"host-local","ranges":[[{"subnet":"%s","rangeStart":"%s"}]],"dataDir":"%s"}' \
      "${subnet[host-local]}" "${net%.*}.10" "$state/host-local/node$2")
  else
    ipam=$(printf '{"type":"underpool","socket":"%s","pools":{"ipv4":["%s"]}}' "$state/node$2.sock" "$1")
  fi
  printf '{"cniVersion":"1.0.0","name":"scale","type":"macvlan","master":"eth0","mode":"bridge","ipam":%s}' "$ipam"
}

# One CNI call as a runtime on the node makes it: in the node's network namespace (nsenter: no mount namespace to
# copy, unlike ip netns exec, whose cost grows with the thousand namespace mounts), the CNI variables set, the
# config on stdin. Prints "exit-code start-us end-us" (bash's own clock); the plugin's answer goes to $6.
one_call() { # $1 verb, $2 node, $3 pod, $4 container id, $5 config, $6 answer file
  local start=$EPOCHREALTIME rc=0
  CNI_COMMAND=$1 CNI_CONTAINERID=$4 CNI_NETNS=/var/run/netns/${prefix}p$3 CNI_IFNAME=eth0 CNI_PATH="$bin:/usr/lib/cni" \
    nsenter --net="/var/run/netns/${prefix}node$2" /usr/lib/cni/macvlan <<<"$5" >"$6" 2>&1 || rc=$?
  local end=$EPOCHREALTIME
  echo "$rc ${start/./} ${end/./}"
}

# lane VERB NODE CASE ROUND LIMIT DIR: the node's pods (p = NODE, NODE+NODES, ... up to LIMIT), at most CONCURRENCY
# calls in flight, each starting as soon as one ends. A TERM (an interrupted run) stops the calls in flight.
lane() {
  local verb=$1 n=$2 name=$3 round=$4 limit=$5 dir=$6 running=0 p conf
  trap 'kill $(jobs -p) 2>/dev/null; exit 143' TERM
  conf=$(net_conf "$name" "$n")
  for ((p = n; p <= limit; p += nodes)); do
    if ((running >= concurrency)); then
      wait -n || true
      running=$((running - 1))
    fi
    one_call "$verb" "$n" "$p" "${short[$name]}-r$round-p$p" "$conf" "$dir/$p.out" >"$dir/$p.time" &
    running=$((running + 1))
  done
  wait
}

# phase CASE VERB ROUND LIMIT: every node's lane at once, timed until the last call returns. Appends the wall time
# (us) to CASE.VERB.wall, every call's latency to CASE.VERB.us, the failures, and for ADDs the duplicate addresses
# to CASE.VERB.dups and the completion times (seconds since the start, one per addressed pod) to
# CASE.ADD.rROUND.timeline.
phase() {
  local name=$1 verb=$2 round=$3 limit=$4 dir="$state/$1.$2.$3" n start end
  mkdir "$dir"
  # Let the previous phase's tail (exiting processes, the agents' background work) finish first.
  sleep 0.5
  local cpu0 agents0
  cpu0=$(children_cpu_ticks) agents0=$(agents_cpu_ticks)
  start=$EPOCHREALTIME
  lane_pids=()
  for ((n = 1; n <= nodes; n++)); do
    lane "$verb" "$n" "$name" "$round" "$limit" "$dir" &
    lane_pids+=($!)
  done
  wait "${lane_pids[@]}" || true
  end=$EPOCHREALTIME
  lane_pids=()
  start=${start/./} end=${end/./}
  echo $((end - start)) >>"$state/$name.$verb.wall"
  echo "$((($(children_cpu_ticks) - cpu0) * 1000 / clk_tck)) $((($(agents_cpu_ticks) - agents0) * 1000 / clk_tck))" \
    >>"$state/$name.$verb.cpu"
  cat "$dir"/*.time | awk '{ print $3 - $2 }' >>"$state/$name.$verb.us"
  # Failed: a non-zero exit, or an ADD whose answer holds no address.
  local failed
  failed=$( (awk '$1 != 0 { print FILENAME }' "$dir"/*.time | sed 's/\.time$/.out/'
    [ "$verb" = ADD ] && grep -L '"address"' "$dir"/*.out || true) | sort -u | tee "$dir/failed" | wc -l)
  echo "$failed" >>"$state/$name.$verb.failed"
  echo "$name $failed" >>"$state/all-calls.failed"
  head -3 "$dir/failed" | while read -r out; do
    echo "scale: $name $verb $(basename "$out" .out) failed: $(head -c 300 "$out" | tr '\n' ' ')" >&2
  done
  if [ "$verb" = ADD ]; then
    # Pods holding an address that another pod of the same phase holds too (host-local's nodes each start over).
    grep -ho '"address": *"[^"]*"' "$dir"/*.out | sort | uniq -c | awk '$1 > 1 { d += $1 } END { print d + 0 }' \
      >>"$state/$name.ADD.dups"
    answer_macs "$dir"/*.out >>"$state/macs"
    awk '$1 == 0 { print $3 }' "$dir"/*.time | sort -n |
      awk -v s="$start" '{ printf "%.3f %d\n", ($1 - s) / 1e6, NR }' >"$state/$name.ADD.r$round.timeline"
  fi
  rm -rf "$dir"
}

clk_tck=$(getconf CLK_TCK)
# CPU of every process this shell has waited for (the lanes, their calls and whatever those started), in clock ticks.
children_cpu_ticks() { local rest; rest=$(<"/proc/$$/stat"); rest=${rest##*) }; awk '{print $14 + $15}' <<<"$rest"; }
agents_cpu_ticks() { local pid sum=0; for pid in "${agent_pids[@]}"; do sum=$((sum + $(agent_cpu_ticks "$pid"))); done; echo "$sum"; }

scrape_all() { # $1 = file name suffix: every agent's metrics into $state/nodeN.$1
  local n
  for ((n = 1; n <= nodes; n++)); do
    curl -s --max-time 10 --unix-socket "$state/node$n.sock" http://agent/metrics >"$state/node$n.$1" || true
  done
}

# Conflicts the agents met during a case: their conflict counters for its pool, after minus before.
conflicts_since() { # $1 case, $2 before-suffix, $3 after-suffix
  local before after
  before=$(conflicts_counted "$1" "$state"/node*."$2") after=$(conflicts_counted "$1" "$state"/node*."$3")
  if [ "$before" = - ] || [ "$after" = - ]; then echo -; else echo $((after - before)); fi
}

# run_case CASE ROUND PODS: the ADD phase, then the DEL phase. For Underpool also the addresses its pool's
# quarantine gained during the ADDs (the list right after them, as the store holds it: distinct addresses) and the
# conflicts the agents counted over both phases (every one, an address met again included).
run_case() {
  local name=$1 round=$2 limit=$3
  if [ "$name" != host-local ]; then
    scrape_all before
    conflicts_list "$bin" "$state/node1.sock" >"$state/quarantine.before"
  fi
  phase "$name" ADD "$round" "$limit"
  if [ "$name" != host-local ]; then
    conflicts_list "$bin" "$state/node1.sock" >"$state/quarantine.after"
    conflicts_new "$name" "$state/quarantine.before" "$state/quarantine.after" >>"$state/$name.ADD.quarantined"
    cat "$state/quarantine.after" >>"$state/quarantine.seen"
  fi
  phase "$name" DEL "$round" "$limit"
  if [ "$name" != host-local ]; then
    scrape_all after
    conflicts_since "$name" before after >>"$state/$name.ADD.conflicts"
  fi
}

echo "Scale: $pods pods on $nodes nodes (at most $concurrency calls per node at once) through macvlan, $store store," \
  "probing ${probe/both/off and on}, $rounds round(s) (lab namespaces ${prefix}*); $(nproc) cores, $(uname -r)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
# Round 0 warms up (JIT in the agents, the probe path, binaries in the page cache) with two pods per node and is
# not reported; its failures still count below.
for name in "${cases[@]}"; do run_case "$name" 0 $((nodes * 2 < pods ? nodes * 2 : pods)); done
scrape_all metrics0
rm -f "$state"/*.wall "$state"/*.us "$state"/*.failed "$state"/*.dups "$state"/*.quarantined "$state"/*.conflicts \
  "$state"/*.timeline "$state"/*.cpu
for ((r = 1; r <= rounds; r++)); do
  for name in "${cases[@]}"; do run_case "$name" "$r" "$pods"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

scale_report "$state" "${cases[@]}" | tee "$state/report"
scale_goal "$state" "$pods" "${cases[@]}" | tee -a "$state/report"
left=0
for name in "${cases[@]}"; do
  [ "$name" = host-local ] && continue
  left=$((left + $(ctl ip list --pool "$name" -o json | grep -c '"address"' || true)))
done
hl_left=$(find "$state/host-local" -type f -name '172.*' 2>/dev/null | wc -l)
failed=$(awk '{ s[$1 ~ /-probe-on$/] += $2 } END { printf "%d without probing, %d with probing on\n", s[0], s[1] }' \
  "$state/all-calls.failed")
{
  echo "left after the DELs: underpool $left allocations, host-local $hl_left"
  echo "failed calls in all rounds, warm-up included: $failed"
  # Every address seen in quarantine right after an ADD phase (the pods still up), whoever answered for it; by the
  # end the agents' re-probe has freed most of them.
  sort -u -k1,1 "$state/quarantine.seen" 2>/dev/null >"$state/quarantine" || true
  echo "quarantined during the run (warm-up included): $(conflicts_by_holder "$state/quarantine" "$state/macs")"
} | tee -a "$state/report"
scrape_all metrics1
for ((n = 1; n <= nodes; n++)); do
  agent_metrics_line "node$n" "$(<"$state/node$n.metrics0")" "$(<"$state/node$n.metrics1")"
done
if [ -n "$results" ]; then
  mkdir -p "$results"
  cp "$state/report" "$results/scale-$store.txt"
  for name in "${cases[@]}"; do cp "$state/$name.ADD.r1.timeline" "$results/scale-$store-$name.timeline"; done
fi
