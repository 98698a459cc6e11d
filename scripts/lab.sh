# shellcheck shell=bash
# The Underpool lab for scripts and demos: a "switch" namespace holding bridge br0 and node namespaces
# whose uplink eth0 is a veth into that bridge. Same layout as tests/Underpool.Lab.Tests (LabNetwork).
#
#   source scripts/lab.sh
#   prefix=$(lab_new_prefix)                  # e.g. upl3fa09c-
#   trap 'lab_down "$prefix"' EXIT
#   lab_up "$prefix" 2 172.20.1.0/24          # ${prefix}switch, ${prefix}node1 (.250), ${prefix}node2 (.249)
#   netns=$(lab_pod_ns "$prefix" pod1)        # /var/run/netns/${prefix}pod1, for CNI_NETNS
#   lab_exec "$prefix" node1 ping -c 1 -W 1 172.20.1.249
#
# Safe under `set -euo pipefail`. Everything made lives in namespaces named PREFIX*; nothing is created in
# the root namespace, and lab_down deletes only namespaces whose names start with PREFIX.

# A fresh prefix: "upl" (or the 3 letters given, e.g. "upb" for benchmarks) + 6 hex digits + "-" (10 characters,
# so link names PREFIXvN stay within 15).
lab_new_prefix() {
  local letters=${1:-upl}
  if [[ ! $letters =~ ^[a-z]{3}$ ]]; then
    echo "lab: lab_new_prefix takes 3 lowercase letters, not '$letters'" >&2
    return 1
  fi
  printf '%s%s-\n' "$letters" "$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
}

_lab_check_prefix() {
  local prefix=${1-}
  if [[ ! $prefix =~ ^[A-Za-z0-9][A-Za-z0-9_-]{2,9}$ ]]; then
    echo "lab: prefix '$prefix' must be 3-10 letters, digits, '-' or '_' (e.g. from lab_new_prefix)" >&2
    return 1
  fi
}

_lab_require() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "lab: must run as root (it creates network namespaces)" >&2
    return 1
  fi
  if ! command -v ip >/dev/null 2>&1; then
    echo "lab: 'ip' is missing: apt-get install iproute2" >&2
    return 1
  fi
}

_lab_ip_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

_lab_int_to_ip() {
  local n=$1
  echo "$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# Waits (deadline 10 s) until link $2 in namespace $1 is operationally up.
_lab_wait_up() {
  local ns=$1 link=$2 deadline=$((SECONDS + 10))
  until ip -n "$ns" link show dev "$link" 2>/dev/null | grep -q 'state UP'; do
    if ((SECONDS >= deadline)); then
      echo "lab: $ns/$link did not come up within 10 s" >&2
      return 1
    fi
    sleep 0.05
  done
}

# lab_host PREFIX NAME ADDRESS/LEN: wires namespace PREFIX+NAME to the switch with ADDRESS on its eth0
# (a node, or a "legacy host" no IPAM knows of).
lab_host() {
  local prefix=$1 name=$2 cidr=$3
  _lab_check_prefix "$prefix" || return 1
  local sw="${prefix}switch" ns="${prefix}${name}" port
  # One port per host on the switch, numbered by how many the bridge has already.
  port="${prefix}v$(($(ip -n "$sw" -o link show master br0 | wc -l) + 1))"
  ip netns add "$ns" || return 1
  # Both veth ends are born inside their namespaces: nothing appears in the root namespace.
  ip -n "$sw" link add "$port" type veth peer name eth0 netns "$ns" || return 1
  ip -n "$sw" link set "$port" master br0 up || return 1
  ip -n "$ns" link set lo up || return 1
  ip -n "$ns" addr add "$cidr" dev eth0 || return 1
  ip -n "$ns" link set eth0 up || return 1
  _lab_wait_up "$ns" eth0
}

# lab_up PREFIX NODES SUBNET: switch plus NODES nodes PREFIXnode1..N on SUBNET (IPv4, /24 or larger),
# holding the top addresses downwards from broadcast-5 (.250, .249, ... in a /24).
lab_up() {
  local prefix=${1-} nodes=${2-} subnet=${3-}
  _lab_check_prefix "$prefix" || return 1
  _lab_require || return 1
  if [[ ! $nodes =~ ^[1-9][0-9]?$ ]] || [[ ! $subnet =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]{1,2})$ ]]; then
    echo "lab: usage: lab_up PREFIX NODES(1-99) SUBNET(a.b.c.d/len)" >&2
    return 1
  fi
  local length=${subnet#*/} base
  if ((length > 24 || length < 8)); then
    echo "lab: subnet $subnet must be between /8 and /24" >&2
    return 1
  fi
  base=$(_lab_ip_to_int "${subnet%/*}")
  local broadcast=$((base | ((1 << (32 - length)) - 1)))
  local sw="${prefix}switch"
  ip netns add "$sw" || return 1
  ip -n "$sw" link set lo up || return 1
  ip -n "$sw" link add br0 type bridge stp_state 0 || return 1
  ip -n "$sw" link set br0 up || return 1
  local i
  for ((i = 1; i <= nodes; i++)); do
    lab_host "$prefix" "node$i" "$(_lab_int_to_ip $((broadcast - 4 - i)))/$length" || return 1
  done
}

# lab_pod_ns PREFIX NAME: an empty pod namespace PREFIX+NAME; prints its path (CNI_NETNS).
lab_pod_ns() {
  local prefix=${1-} name=${2-}
  _lab_check_prefix "$prefix" || return 1
  ip netns add "${prefix}${name}" || return 1
  echo "/var/run/netns/${prefix}${name}"
}

# lab_exec PREFIX NAME COMMAND...: runs COMMAND inside namespace PREFIX+NAME.
lab_exec() {
  local prefix=$1 name=$2
  shift 2
  ip netns exec "${prefix}${name}" "$@"
}

# lab_down PREFIX: deletes every namespace whose name starts with PREFIX (killing the processes inside,
# which the lab started), and with them every link inside. Idempotent; returns 1 only if one is left.
lab_down() {
  local prefix=${1-}
  _lab_check_prefix "$prefix" || return 1
  local ns pid left=0
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    [[ $ns == "$prefix"* ]] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      kill -9 "$pid" 2>/dev/null || true
    done
    ip netns delete "$ns" 2>/dev/null || true
    if [[ -e /var/run/netns/$ns ]]; then
      echo "lab: could not delete namespace $ns" >&2
      left=1
    fi
  done
  return "$left"
}
