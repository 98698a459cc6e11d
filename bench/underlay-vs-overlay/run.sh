#!/usr/bin/env bash
# Underlay versus overlay: what a pod-to-pod packet costs across two lab nodes on each data plane, against the
# nodes' own path. Three cases, alternating within every round so drift hits all alike:
#   node-to-node   node1's eth0 to node2's eth0 (veth, the lab switch's bridge, veth): the baseline
#   macvlan        a pod on each node, made by the real macvlan plugin on the node's eth0 with an address from
#                  Underpool (one agent per node, one embedded store): the underlay data plane
#   vxlan          a pod on each node on a veth into a per-node bridge that also holds a Linux vxlan device tunnelling
#                  to the other node's underlay address (VNI 42, UDP 4789, MTU 1450), the shape of the VXLAN modes
#                  of overlay CNIs: every packet encapsulated, bridged twice and decapsulated
# Each: round-trip latency (ping, SAMPLES in all at INTERVAL seconds apart: median and p99) and TCP throughput
# (iperf3, SECONDS per round: median and min-max over the rounds), with ratios to the baseline. Everything lives in
# namespaces this script makes and removes (lab prefix upbXXXXXX-); iperf3 servers are stopped by PID.
#
# Usage (root, after scripts/build.sh): bench/underlay-vs-overlay/run.sh [--samples 1000] [--interval 0.002]
#     [--seconds 3] [--rounds 3] [--results DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
samples=1000 interval=0.002 seconds=3 rounds=3 results=""
usage() { echo "usage: $0 [--samples N] [--interval SECONDS] [--seconds N] [--rounds N] [--results DIR]" >&2; }
while [ $# -gt 0 ]; do
  case $1 in
    --samples | --interval | --seconds | --rounds | --results)
      [ $# -ge 2 ] || { echo "underlay-vs-overlay: $1 needs a value" >&2; usage; exit 2; }
      case $1 in
        --samples) samples=$2 ;; --interval) interval=$2 ;; --seconds) seconds=$2 ;; --rounds) rounds=$2 ;;
        --results) results=$2 ;;
      esac
      shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "underlay-vs-overlay: unknown argument '$1'" >&2; usage; exit 2 ;;
  esac
done
problem=""
if [[ ! $samples =~ ^[1-9][0-9]{0,5}$ ]]; then problem="--samples '$samples' must be 1-999999"
elif [[ ! $interval =~ ^0?\.[0-9]+$|^[1-9][0-9]*(\.[0-9]+)?$ ]]; then problem="--interval '$interval' must be seconds, e.g. 0.002"
elif [[ ! $seconds =~ ^[1-9][0-9]?$ ]]; then problem="--seconds '$seconds' must be 1-99"
elif [[ ! $rounds =~ ^[1-9][0-9]?$ ]]; then problem="--rounds '$rounds' must be 1-99"
elif ((samples < rounds)); then problem="--samples $samples must be at least --rounds $rounds"
fi
[ -z "$problem" ] || { echo "underlay-vs-overlay: $problem" >&2; exit 2; }

source "$root/scripts/lab.sh"
source "$root/bench/lib/stats.sh"
source "$root/bench/lib/agents.sh"
source "$root/bench/lib/packages.sh"
bench_need iperf3 iperf3
bench_need ping iputils-ping

prefix=$(lab_new_prefix upb)
state=$(mktemp -d /tmp/upb-overlay-XXXXXX)
agent_pids=() server=""
cleanup() {
  stop_all ${server:+"$server"} "${agent_pids[@]}"
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above still removes what it made.
trap 'exit 130' INT TERM HUP PIPE

# The underlay: node1 172.20.0.250, node2 172.20.0.249 on the lab switch.
lab_up "$prefix" 2 172.20.0.0/24
node_ip=([1]=172.20.0.250 [2]=172.20.0.249)

# (a) macvlan pods with Underpool addresses.
agents_start_all "$bin" "$state" 2 "$prefix" --data-dir "$state/store"
"$bin/underpoolctl" --socket "$state/node1.sock" pool create dataplane --subnet 172.20.0.0/24 \
  --ranges 172.20.0.100-172.20.0.199 >/dev/null
declare -A pod_ip
for n in 1 2; do
  netns=$(lab_pod_ns "$prefix" "mv$n")
  conf=$(printf '{"cniVersion":"1.0.0","name":"dataplane","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"underpool","socket":"%s","pools":{"ipv4":["dataplane"]}}}' "$state/node$n.sock")
  answer=$(lab_exec "$prefix" "node$n" env CNI_COMMAND=ADD CNI_CONTAINERID="mv$n" CNI_NETNS="$netns" CNI_IFNAME=eth0 \
    CNI_PATH="$bin:/usr/lib/cni" /usr/lib/cni/macvlan <<<"$conf") || { echo "underlay-vs-overlay: macvlan ADD on node$n failed: $answer" >&2; exit 1; }
  address=$(grep -o '"address": *"[^"]*"' <<<"$answer" | head -1 | sed 's/.*"\([0-9.]*\)\/.*/\1/')
  [ -n "$address" ] || { echo "underlay-vs-overlay: no address in the macvlan answer: $answer" >&2; exit 1; }
  pod_ip[mv$n]=$address
done

# (b) a VXLAN overlay: per node a bridge holding the vxlan device and the pod's veth; the pods on 10.244.0.0/24.
for n in 1 2; do
  node="${prefix}node$n" other=$((3 - n))
  lab_pod_ns "$prefix" "ov$n" >/dev/null
  ip -n "$node" link add vx0 type vxlan id 42 local "${node_ip[n]}" remote "${node_ip[other]}" dstport 4789 dev eth0
  ip -n "$node" link add br-ov type bridge stp_state 0
  ip -n "$node" link set vx0 master br-ov mtu 1450 up
  ip -n "$node" link add ovh type veth peer name eth0 netns "${prefix}ov$n"
  ip -n "$node" link set ovh master br-ov mtu 1450 up
  ip -n "$node" link set br-ov up
  ip -n "${prefix}ov$n" link set lo up
  ip -n "${prefix}ov$n" link set eth0 mtu 1450 up
  ip -n "${prefix}ov$n" addr add "10.244.0.$n/24" dev eth0
  pod_ip[ov$n]=10.244.0.$n
done

# case -> "source-namespace destination-address destination-namespace"
declare -A path=(
  [node-to-node]="node1 ${node_ip[2]} node2"
  [macvlan]="mv1 ${pod_ip[mv2]} mv2"
  [vxlan]="ov1 ${pod_ip[ov2]} ov2")
cases=(node-to-node macvlan vxlan)
for name in "${cases[@]}"; do
  read -r src dst _ <<<"${path[$name]}"
  # Reachability (and ARP / the bridges' learning) before anything is measured.
  lab_exec "$prefix" "$src" ping -n -q -c 3 -i 0.2 -W 2 "$dst" >/dev/null ||
    { echo "underlay-vs-overlay: $name: $src cannot reach $dst" >&2; exit 1; }
done

# rtt CASE COUNT: COUNT pings, one round-trip time per line in nanoseconds appended to $state/CASE.rtt.
rtt() {
  local src dst
  read -r src dst _ <<<"${path[$1]}"
  lab_exec "$prefix" "$src" ping -n -c "$2" -i "$interval" -W 1 "$dst" |
    awk 'match($0, /time=[0-9.]+/) { printf "%d\n", substr($0, RSTART + 5, RLENGTH - 5) * 1000000 }' >>"$state/$1.rtt"
}

# tcp CASE: one iperf3 run of SECONDS; its receiver's Mbit/s appended to $state/CASE.tcp.
tcp() {
  local src dst dstns deadline mbit
  read -r src dst dstns <<<"${path[$1]}"
  # -1: the server serves one test and exits; it is still stopped by PID if it did not.
  lab_exec "$prefix" "$dstns" iperf3 -s -1 -p 5201 >"$state/iperf3-server.log" 2>&1 &
  server=$!
  deadline=$((SECONDS + 10))
  until lab_exec "$prefix" "$dstns" ss -Hltn 'sport = :5201' | grep -q .; do
    ((SECONDS < deadline)) || { echo "underlay-vs-overlay: iperf3 did not listen in $dstns" >&2; cat "$state/iperf3-server.log" >&2; exit 1; }
    sleep 0.05
  done
  mbit=$(lab_exec "$prefix" "$src" iperf3 -c "$dst" -p 5201 -t "$seconds" -f m |
    awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }')
  [ -n "$mbit" ] || { echo "underlay-vs-overlay: iperf3 $1 gave no result" >&2; exit 1; }
  echo "$mbit" >>"$state/$1.tcp"
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

echo "Underlay vs overlay across two lab nodes: $samples pings every ${interval}s and $rounds x ${seconds}s of iperf3" \
  "per case, alternating (lab namespaces ${prefix}*); $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
per_round=$(((samples + rounds - 1) / rounds))
for ((r = 1; r <= rounds; r++)); do
  for name in "${cases[@]}"; do rtt "$name" "$per_round"; done
  for name in "${cases[@]}"; do tcp "$name"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# stats() reads microseconds and prints milliseconds: fed nanoseconds, it prints microseconds.
report() {
  local name base_med base_p99 base_tcp med p99 min max tmed tmin tmax label
  read -r base_med base_p99 _ < <(stats <"$state/node-to-node.rtt")
  base_tcp=$(sort -n "$state/node-to-node.tcp" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-14s %8s %8s %8s %8s %7s %7s %9s %9s %9s %7s\n' \
    case rtt_us p99_us min_us max_us rtt_x p99_x tcp_mbit tcp_min tcp_max tcp_x
  for name in "${cases[@]}"; do
    read -r med p99 min max < <(stats <"$state/$name.rtt")
    read -r tmed tmin tmax < <(sort -n "$state/$name.tcp" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], a[1], a[NR] }')
    printf '%-14s %8s %8s %8s %8s %7s %7s %9s %9s %9s %7s\n' "$name" "$med" "$p99" "$min" "$max" \
      "$(ratio "$med" "$base_med")" "$(ratio "$p99" "$base_p99")" "$tmed" "$tmin" "$tmax" "$(ratio "$tmed" "$base_tcp")"
  done
  echo "rtt: ping round trip in us over $(wc -l <"$state/node-to-node.rtt") samples per case (median, p99, min, max);"
  echo "tcp: iperf3 receiver Mbit/s (median, min-max over $rounds runs of ${seconds}s); _x: ratio to node-to-node"
}
report | tee "$state/report"
if [ -n "$results" ]; then
  mkdir -p "$results"
  cp "$state/report" "$results/underlay-vs-overlay.txt"
fi
