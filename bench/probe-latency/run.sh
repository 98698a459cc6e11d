#!/usr/bin/env bash
# Probe latency: CNI ADD wall time of the underpool IPAM plugin (exec'd alone inside a lab node, master eth0) for
# three pools, interleaved (A B C A B C ...) so machine drift hits all alike:
#   off       --probe off: no probe (the baseline)
#   quiet     probing on, nobody answers: each ADD costs the whole probe budget (timeout x attempts)
#   answered  probing on, a legacy host holds every other address: each ADD meets one conflict (answered at once),
#             quarantines it, then probes the next address, which is quiet
# The figure to read is each median minus the baseline's. Every ADD is DELeted after, untimed.
#
# Usage (root, after scripts/build.sh): bench/probe-latency/run.sh [-n 40] [-- underpoold flags, e.g. --probe-timeout 20]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
n=40
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [-n N] [-- AGENT_FLAGS...]" >&2; exit 2 ;;
  esac
done
source "$root/scripts/lab.sh"
prefix=$(lab_new_prefix)
state=$(mktemp -d /tmp/underpool-bench-XXXXXX)
agent=""
cleanup() {
  [ -n "$agent" ] && { kill -TERM "$agent" 2>/dev/null; wait "$agent" 2>/dev/null || true; }
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

lab_up "$prefix" 1 172.20.0.0/16
lab_host "$prefix" legacy 172.20.3.2/16
legacy="${prefix}legacy"
for i in $(seq 0 $((n - 1))); do
  ip -n "$legacy" addr add "172.20.3.$((10 + 2 * i))/16" dev eth0
done
node="${prefix}node1"
"$bin/underpoold" --node node1 --socket "$state/agent.sock" --data-dir "$state/store" --log-format text \
  --uplink-netns "/var/run/netns/$node" "$@" >"$state/agent.log" 2>&1 &
agent=$!
deadline=$((SECONDS + 30))
until "$bin/underpoolctl" --socket "$state/agent.sock" status >/dev/null 2>&1; do
  ((SECONDS < deadline)) || { cat "$state/agent.log" >&2; exit 1; }
  sleep 0.1
done
ctl() { "$bin/underpoolctl" --socket "$state/agent.sock" "$@" >/dev/null; }
ctl pool create off --subnet 172.20.1.0/24 --ranges 172.20.1.10-172.20.1.250 --probe off
ctl pool create quiet --subnet 172.20.2.0/24 --ranges 172.20.2.10-172.20.2.250 --probe on
ctl pool create answered --subnet 172.20.3.0/24 --ranges 172.20.3.10-172.20.3.250 --probe on

conf() { printf '{"cniVersion":"1.0.0","name":"bench","type":"macvlan","master":"eth0","ipam":{"type":"underpool","socket":"%s","pools":{"ipv4":["%s"]}}}' "$state/agent.sock" "$1"; }
now_us() { echo $(($(date +%s%N) / 1000)); }
cni() { ip netns exec "$node" env CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_NETNS=/var/run/netns/none CNI_IFNAME=eth0 \
  CNI_PATH="$bin" "$bin/underpool" <<<"$(conf "$3")" >/dev/null || { echo "bench: $1 $3 failed" >&2; cat "$state/agent.log" >&2; exit 1; }; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f %.2f\n", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000}'; }

for pool in off quiet answered; do : >"$state/$pool"; done
for i in $(seq "$n"); do
  for pool in off quiet answered; do
    t0=$(now_us); cni ADD "$pool-$i" "$pool"; t1=$(now_us)
    echo $((t1 - t0)) >>"$state/$pool"
    cni DEL "$pool-$i" "$pool"
  done
done

echo "Probe latency: CNI ADD wall time (plugin exec + agent), N=$n each, interleaved; $(nproc) cores, $(uname -r)"
echo "agent flags: ${*:-(defaults: --probe-timeout 15 --probe-attempts 2)}"
read -r base _ _ < <(stats <"$state/off")
printf '%-9s %10s %8s %8s %12s\n' pool median_ms min_ms max_ms added_ms
for pool in off quiet answered; do
  read -r med min max < <(stats <"$state/$pool")
  printf '%-9s %10s %8s %8s %12s\n' "$pool" "$med" "$min" "$max" "$(awk -v a="$med" -v b="$base" 'BEGIN {printf "%+.2f", a - b}')"
done
# The agent's own view: time per probe (the plugin's exec and the HTTP round trip excluded).
curl -s --unix-socket "$state/agent.sock" http://agent/metrics | awk '/^underpool_probe_duration_seconds_(sum|count)/ {
  split($1, k, "result=\""); split(k[2], v, "\""); if ($1 ~ /_sum/) s[v[1]] = $2; else c[v[1]] = $2 }
  END { for (r in c) printf "agent: %s probes %d, mean %.2f ms\n", r, c[r], 1000 * s[r] / c[r] }'
echo "conflicts quarantined: $("$bin/underpoolctl" --socket "$state/agent.sock" conflict list --json | grep -c '"address"')"
