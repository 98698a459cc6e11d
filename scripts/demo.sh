#!/usr/bin/env bash
# The Underpool demo: two lab nodes on ONE underlay subnet, one agent per node sharing the embedded store,
# real macvlan pods whose IPAM is Underpool. Shows who got which address, then proves the pods reach each
# other across the lab switch. Everything runs in network namespaces it creates and removes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${UNDERPOOL_BIN:-$root/out/bin}
source "$root/scripts/lab.sh"
for program in underpool underpoold underpoolctl; do
  [ -x "$bin/$program" ] || { echo "demo: $bin/$program is missing; run scripts/build.sh first" >&2; exit 1; }
done

prefix=$(lab_new_prefix)
state=$(mktemp -d /tmp/underpool-demo-XXXXXX)
agents=()
cleanup() {
  local pid
  for pid in "${agents[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${agents[@]}"; do
    # Wait (deadline 15 s) for a graceful stop, then force it.
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  lab_down "$prefix" || true
  rm -rf "$state"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above still removes what it made.
trap 'exit 130' INT TERM HUP PIPE

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ctl() { "$bin/underpoolctl" --socket "$state/$1.sock" "${@:2}"; }

say "Lab: a switch and two nodes on 172.20.1.0/24 (namespaces ${prefix}*)"
lab_up "$prefix" 2 172.20.1.0/24

say "Agents: one underpoold per node, both on one embedded store ($state/store)"
for node in node1 node2; do
  "$bin/underpoold" --node "$node" --socket "$state/$node.sock" --data-dir "$state/store" --log-format text \
    --uplink-netns "/var/run/netns/${prefix}$node" \
    >"$state/$node.log" 2>&1 &
  agents+=($!)
done
for node in node1 node2; do
  deadline=$((SECONDS + 30))
  until ctl "$node" status >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then echo "demo: the agent of $node did not start:" >&2; cat "$state/$node.log" >&2; exit 1; fi
    sleep 0.1
  done
  ctl "$node" status
done

say "Pools: one IPv4 and one IPv6 pool for the whole subnet (not per node)"
ctl node1 pool create dc-a --subnet 172.20.1.0/24 --ranges 172.20.1.100-172.20.1.199 --gateway 172.20.1.1 --route 0.0.0.0/0 >/dev/null
ctl node1 pool create dc-a-v6 --subnet fd00:20:1::/64 --gateway fd00:20:1::1 >/dev/null
ctl node2 pool list

say "Pods: the real macvlan plugin on each node's eth0, ipam.type = underpool"
cni() { # NODE POD VERB
  local node=$1 pod=$2 verb=$3
  cat >"$state/$node.conf" <<CONF
{"cniVersion":"1.0.0","name":"dc-a","type":"macvlan","master":"eth0","mode":"bridge",
 "ipam":{"type":"underpool","socket":"$state/$node.sock","pools":{"ipv4":["dc-a"],"ipv6":["dc-a-v6"]}}}
CONF
  ip netns exec "${prefix}$node" env CNI_COMMAND="$verb" CNI_CONTAINERID="$pod" CNI_NETNS="/var/run/netns/${prefix}$pod" \
    CNI_IFNAME=eth0 CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=demo;K8S_POD_NAME=$pod" CNI_PATH="$bin:/usr/lib/cni" \
    /usr/lib/cni/macvlan <"$state/$node.conf"
}
pods=(web-1:node1 web-2:node1 web-3:node2 web-4:node2)
for entry in "${pods[@]}"; do
  pod=${entry%%:*} node=${entry##*:}
  lab_pod_ns "$prefix" "$pod" >/dev/null
  # A failed ADD prints the CNI error object (code and message) before the demo stops.
  if ! result=$(cni "$node" "$pod" ADD); then echo "demo: ADD of $pod failed: $result" >&2; exit 1; fi
  printf '  %-6s on %-6s eth0: %s\n' "$pod" "$node" \
    "$(ip -n "${prefix}$pod" -o addr show dev eth0 scope global | awk '{print $4}' | paste -sd' ')"
done

say "Who got which address (underpoolctl ip list): both nodes drew from one pool, no duplicates"
ctl node1 ip list

say "Reachability: web-1 (node1) pings web-3 (node2) across the lab switch"
target=$(ip -n "${prefix}web-3" -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1)
ip netns exec "${prefix}web-1" ping -c 1 -W 2 "$target" | sed -n '1,2p'

say "For contrast: host-local, the node-local IPAM, on the same two nodes"
for node in node1 node2; do
  hl_pod="hl-$node"
  lab_pod_ns "$prefix" "$hl_pod" >/dev/null
  printf '{"cniVersion":"1.0.0","name":"hl","type":"macvlan","master":"eth0","mode":"bridge","ipam":{"type":"host-local","ranges":[[{"subnet":"172.20.1.0/24","rangeStart":"172.20.1.100","rangeEnd":"172.20.1.199"}]],"dataDir":"%s"}}' \
    "$state/host-local-$node" |
    ip netns exec "${prefix}$node" env CNI_COMMAND=ADD CNI_CONTAINERID="$hl_pod" CNI_NETNS="/var/run/netns/${prefix}$hl_pod" \
      CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/macvlan >/dev/null
  printf '  host-local pod on %-6s eth0: %s\n' "$node" \
    "$(ip -n "${prefix}$hl_pod" -4 -o addr show dev eth0 | awk '{print $4}')"
done
echo "  -> both nodes handed out the same address: the underlay conflict Underpool exists to prevent."

say "Releasing: CNI DEL for every pod"
for entry in "${pods[@]}"; do
  cni "${entry##*:}" "${entry%%:*}" DEL
done
ctl node1 pool list
say "Done: the lab, agents and store are removed on exit"
