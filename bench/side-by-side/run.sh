#!/usr/bin/env bash
# Side-by-side: CNI ADD+DEL wall time of Underpool against the reference host-local IPAM, alternating
# (A B A B ...) in one run so machine drift hits both alike. Two shapes:
#   macvlan  the real /usr/lib/cni/macvlan execs the IPAM plugin (what a runtime sees)
#   ipam     the IPAM plugin exec'd alone (isolates the IPAM cost)
# Also reports the agent's resident memory and the store size after filling a pool with --fill allocations.
#
# With --results DIR, every sample (us) is also kept there as side-by-side-IPAM-SHAPE.us, for bench/plot/render.sh.
#
# Usage (root, after scripts/build.sh): bench/side-by-side/run.sh [-n 50] [--fill 10000] [--results DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
n=50 fill=10000 results=""
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    --fill) fill=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    *) echo "usage: $0 [-n N] [--fill COUNT] [--results DIR]" >&2; exit 2 ;;
  esac
done
source "$root/scripts/lab.sh"
source "$root/bench/lib/stats.sh"
source "$root/bench/lib/agents.sh"
prefix=$(lab_new_prefix upb)
state=$(mktemp -d /tmp/upb-side-XXXXXX)
agent=""
cleanup() {
  agent_stop "$agent"
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above still removes what it made.
trap 'exit 130' INT TERM HUP PIPE

lab_up "$prefix" 1 172.20.0.0/16
node="${prefix}node1"
# Like for like with host-local, which probes nothing: conflict probing is measured on its own
# (bench/probe-latency). Were it on, it would run inside the node's namespace, never on this machine's links.
agent_start "$bin" node1 "$state/agent.sock" "$state/agent.log" --data-dir "$state/store" \
  --probe off --uplink-netns "/var/run/netns/$node"
agent=$agent_pid
"$bin/underpoolctl" --socket "$state/agent.sock" pool create bench --subnet 172.20.0.0/16 --ranges 172.20.1.0-172.20.255.254 >/dev/null

up_ipam='{"type":"underpool","socket":"'"$state/agent.sock"'","pools":{"ipv4":["bench"]}}'
hl_ipam='{"type":"host-local","ranges":[[{"subnet":"172.20.0.0/16","rangeStart":"172.20.1.0","rangeEnd":"172.20.255.254"}]],"dataDir":"'"$state/host-local"'"}'
macvlan_conf() { printf '{"cniVersion":"1.0.0","name":"bench","type":"macvlan","master":"eth0","mode":"bridge","ipam":%s}' "$1"; }

# One ADD+DEL, timed; prints microseconds. $1 = shape, $2 = underpool|host-local, $3 = container id.
time_add_del() {
  local shape=$1 ipam=$2 id=$3 conf plugin netns t0 t1
  local ipamjson=$up_ipam; [ "$ipam" = host-local ] && ipamjson=$hl_ipam
  # An IPAM plugin reads only the ipam section, so both shapes use the same config.
  conf=$(macvlan_conf "$ipamjson")
  if [ "$shape" = macvlan ]; then
    plugin=/usr/lib/cni/macvlan
    ip netns add "${prefix}$id"; netns=/var/run/netns/${prefix}$id
  else
    plugin="$bin/underpool"; [ "$ipam" = host-local ] && plugin=/usr/lib/cni/host-local
    netns=/var/run/netns/none
  fi
  # Bash's own clock: a `date` process per reading would add its start-up to every sample.
  t0=$EPOCHREALTIME
  for verb in ADD DEL; do
    ip netns exec "$node" env CNI_COMMAND=$verb CNI_CONTAINERID="$id" CNI_NETNS="$netns" CNI_IFNAME=eth0 \
      CNI_PATH="$bin:/usr/lib/cni" "$plugin" <<<"$conf" >/dev/null || { echo "bench: $ipam $shape $verb failed" >&2; exit 1; }
  done
  t1=$EPOCHREALTIME
  [ "$shape" = macvlan ] && ip netns delete "${prefix}$id"
  echo $((${t1/./} - ${t0/./}))
}

echo "Underpool vs host-local, ADD+DEL wall time, N=$n each, alternating; $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-11s %8s %8s %8s %8s\n' shape ipam median_ms p99_ms min_ms max_ms
for shape in macvlan ipam; do
  # Pair 0 warms up (the agent's JIT, binaries in the page cache) and is not counted.
  time_add_del "$shape" underpool u0 >/dev/null
  time_add_del "$shape" host-local h0 >/dev/null
  : >"$state/underpool.$shape"; : >"$state/host-local.$shape"
  for i in $(seq "$n"); do
    time_add_del "$shape" underpool "u$i" >>"$state/underpool.$shape"
    time_add_del "$shape" host-local "h$i" >>"$state/host-local.$shape"
  done
  for ipam in underpool host-local; do
    read -r med p99 min max < <(stats <"$state/$ipam.$shape")
    printf '%-9s %-11s %8s %8s %8s %8s\n' "$shape" "$ipam" "$med" "$p99" "$min" "$max"
    eval "med_${ipam//-/_}=$med"
  done
  printf '%-9s ratio underpool/host-local (median): %s\n' "$shape" "$(ratio "$med_underpool" "$med_host_local")"
done
if [ -n "$results" ]; then
  mkdir -p "$results"
  for shape in macvlan ipam; do
    for ipam in underpool host-local; do cp "$state/$ipam.$shape" "$results/side-by-side-$ipam-$shape.us"; done
  done
fi

if [ "$fill" -gt 0 ]; then
  echo
  echo "Filling the pool with $fill allocations (plugin ADDs, 2 at a time)..."
  conf=$(macvlan_conf "$up_ipam")
  seq "$fill" | xargs -P 2 -I{} sh -c 'CNI_COMMAND=ADD CNI_CONTAINERID=fill{} CNI_NETNS=/x CNI_IFNAME=eth0 "$0" >/dev/null <<EOF
$1
EOF' "$bin/underpool" "$conf"
  "$bin/underpoolctl" --socket "$state/agent.sock" pool show bench | grep -i -E 'allocated|capacity' || true
  rss=$(awk '/VmRSS/ {print $2}' /proc/"$agent"/status)
  sqlite_files=$(du -cb "$state"/store/underpool.db* | tail -1 | cut -f1)
  echo "agent resident memory: $((rss / 1024)) MiB"
  echo "store size with $fill allocations (db + wal): $((sqlite_files / 1024)) KiB"
fi
