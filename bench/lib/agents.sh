# shellcheck shell=bash
# Starting underpoold for a benchmark: in the root namespace (it only serves a unix socket, which the plugin
# reaches from inside any node namespace), logging to a file, stopped by PID.
#
#   source bench/lib/agents.sh
#   agent_start "$bin" node1 "$state/node1.sock" "$state/node1.log" --data-dir "$state/store"   # sets agent_pid
#   agent_stop "$agent_pid"

# agent_start BIN NODE SOCKET LOG [FLAG...]: starts one agent, waits (deadline 30 s) until it answers, and sets
# agent_pid. On failure prints the agent's log and returns 1 (the agent, if still running, is stopped).
agent_start() {
  local bin=$1 node=$2 socket=$3 log=$4
  shift 4
  "$bin/underpoold" --node "$node" --socket "$socket" --log-format text "$@" >"$log" 2>&1 &
  agent_pid=$!
  local deadline=$((SECONDS + 30))
  until "$bin/underpoolctl" --socket "$socket" status >/dev/null 2>&1; do
    if ((SECONDS >= deadline)) || ! kill -0 "$agent_pid" 2>/dev/null; then
      echo "bench: underpoold for $node did not answer on $socket within 30 s; its log:" >&2
      cat "$log" >&2
      agent_stop "$agent_pid"
      return 1
    fi
    sleep 0.1
  done
}

# agent_stop PID: SIGTERM (the agent removes its socket), then waits for it. Safe on a PID already gone.
agent_stop() {
  local pid=${1-}
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# agent_cpu_ticks PID: user+system CPU the process has used so far, in clock ticks (getconf CLK_TCK).
agent_cpu_ticks() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  # Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th of these.
  rest=${stat##*) }
  awk '{print $12 + $13}' <<<"$rest"
}
