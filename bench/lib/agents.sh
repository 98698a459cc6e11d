# shellcheck shell=bash
# Starting underpoold for a benchmark: in the root namespace (it only serves a unix socket, which the plugin
# reaches from inside any node namespace), logging to a file, stopped by PID.
#
#   source bench/lib/agents.sh
#   agent_start "$bin" node1 "$state/node1.sock" "$state/node1.log" --data-dir "$state/store"   # sets agent_pid
#   agent_launch ... (same arguments); agent_wait_ready "$bin" "$agent_pid" node1 SOCKET LOG   # several at once
#   agents_start_all "$bin" "$state" 10 "$prefix" --data-dir "$state/store"   # one per lab node; sets agent_pids
#   agent_stop "$agent_pid"
#   stop_all "${agent_pids[@]}"                    # several at once (agents, or a burst's calls)

# agent_start BIN NODE SOCKET LOG [FLAG...]: starts one agent, waits (deadline 60 s) until it answers, and sets
# agent_pid. On failure prints the agent's log and returns 1 (the agent, if still running, is stopped).
agent_start() {
  agent_launch "$@"
  agent_wait_ready "$1" "$agent_pid" "$2" "$3" "$4"
}

# agent_launch BIN NODE SOCKET LOG [FLAG...]: starts one agent without waiting for it (several start at once on a
# busy machine); sets agent_pid. Then agent_wait_ready for each.
agent_launch() {
  local bin=$1 node=$2 socket=$3 log=$4
  shift 4
  "$bin/underpoold" --node "$node" --socket "$socket" --log-format text "$@" >"$log" 2>&1 &
  agent_pid=$!
}

# agent_wait_ready BIN PID NODE SOCKET LOG: waits until the agent answers on SOCKET (deadline 60 s: ten agents may
# be starting at once on two busy cores); on failure prints its log, stops it and returns 1.
agent_wait_ready() {
  local bin=$1 pid=$2 node=$3 socket=$4 log=$5
  local deadline=$((SECONDS + 60))
  until "$bin/underpoolctl" --socket "$socket" status >/dev/null 2>&1; do
    if ((SECONDS >= deadline)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: underpoold for $node did not answer on $socket within 60 s; its log:" >&2
      cat "$log" >&2
      agent_stop "$pid"
      return 1
    fi
    sleep 0.1
  done
}

# agents_start_all BIN STATE NODES PREFIX [FLAG...]: one agent per lab node (node1..NODES, socket and log
# STATE/nodeN.{sock,log}, probing inside PREFIXnodeN), all launched at once, then each waited for. One that gives
# up at start (an etcd slow to answer on a loaded machine: the agent exits and says "try again") is started again,
# up to three times in all. Sets agent_pids (node n at index n-1).
agents_start_all() {
  local bin=$1 state=$2 nodes=$3 prefix=$4 n try
  shift 4
  agent_pids=()
  for ((n = 1; n <= nodes; n++)); do
    agent_launch "$bin" "node$n" "$state/node$n.sock" "$state/node$n.log" --uplink-netns "/var/run/netns/${prefix}node$n" "$@"
    agent_pids+=("$agent_pid")
  done
  for ((n = 1; n <= nodes; n++)); do
    for ((try = 1; ; try++)); do
      agent_wait_ready "$bin" "${agent_pids[n - 1]}" "node$n" "$state/node$n.sock" "$state/node$n.log" && break
      ((try < 3)) || return 1
      echo "bench: starting the agent of node$n again (attempt $((try + 1)) of 3)" >&2
      agent_launch "$bin" "node$n" "$state/node$n.sock" "$state/node$n.log" --uplink-netns "/var/run/netns/${prefix}node$n" "$@"
      agent_pids[n - 1]=$agent_pid
    done
  done
}

# agent_stop PID: SIGTERM (the agent removes its socket), then waits for it. Safe on a PID already gone.
agent_stop() {
  local pid=${1-}
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# stop_all PID...: SIGTERM to every one, then waits for each (all stop at once: ten agents do not queue their
# shutdowns). Safe on PIDs already gone.
stop_all() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# agent_cpu_ticks PID: user+system CPU the process has used so far, in clock ticks (getconf CLK_TCK).
agent_cpu_ticks() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  # Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th of these.
  rest=${stat##*) }
  awk '{print $12 + $13}' <<<"$rest"
}
