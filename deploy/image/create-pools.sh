#!/bin/sh
# Creates the chart's pools through the node agent's socket (the chart's post-install/post-upgrade Job runs it).
#   create-pools.sh DIR
# DIR holds one file per pool, named after the pool, holding the arguments of 'underpoolctl pool create', one per
# line. UNDERPOOL_SOCKET names the agent's socket; UNDERPOOL_WAIT_SECONDS (default 300) how long to wait for it.
#
# Idempotent: a pool that already exists is fine when it is identical to the one asked for, and an error naming
# both when it is not (the chart never changes or deletes a pool: 'underpoolctl pool update' does, by hand).
# "Identical" is judged by the agent itself, not by comparing text a person wrote: the wanted pool is created in a
# scratch agent (embedded store in a temporary directory, never the cluster's), and both agents' 'pool show -o json'
# definitions must match.
set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: create-pools.sh DIR (one file per pool, holding 'pool create' arguments one per line)" >&2
  exit 2
fi
pools_dir=$1
socket=${UNDERPOOL_SOCKET:-/run/underpool/agent.sock}
wait_seconds=${UNDERPOOL_WAIT_SECONDS:-300}
scratch_dir=
scratch_pid=

fail() {
  echo "create-pools: $*" >&2
  exit 1
}

stop_scratch() {
  if [ -n "$scratch_pid" ]; then
    kill "$scratch_pid" 2>/dev/null || true
    wait "$scratch_pid" 2>/dev/null || true
  fi
  if [ -n "$scratch_dir" ]; then
    rm -rf "$scratch_dir"
  fi
}
trap stop_scratch EXIT

# Waits until the agent on $1 answers 'status' as ready, for at most $2 seconds.
wait_ready() {
  tries=$(( ($2 + 1) / 2 ))
  while ! underpoolctl status --socket="$1" >/dev/null 2>&1; do
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      return 1
    fi
    sleep 2
  done
}

# The "pool" object of 'pool show -o json' (its definition, without usage and problems).
definition() {
  sed -n '/^  "pool": {/,/^  },/p'
}

start_scratch() {
  scratch_dir=$(mktemp -d)
  # Not in Kubernetes mode (the Job's pod has KUBERNETES_SERVICE_HOST), no probing, no sweeps: a store and an API.
  (
    unset KUBERNETES_SERVICE_HOST
    exec underpoold --node scratch --socket "$scratch_dir/agent.sock" --store embedded --data-dir "$scratch_dir" \
      --probe off --gc-interval 0 --node-dead-after 0 --log-format text >"$scratch_dir/log" 2>&1
  ) &
  scratch_pid=$!
  wait_ready "$scratch_dir/agent.sock" 60 || fail "the scratch agent did not start: $(cat "$scratch_dir/log")"
}

# Prints the definition an agent stores for 'pool create "$@"', made in the scratch agent and removed again. Runs in
# a command substitution (a subshell): start_scratch must have run in the script itself.
wanted_definition() {
  underpoolctl pool create "$@" --socket="$scratch_dir/agent.sock" >/dev/null || return 1
  shown=$(underpoolctl pool show "$1" -o json --socket="$scratch_dir/agent.sock") || return 1
  underpoolctl pool delete "$1" --socket="$scratch_dir/agent.sock" >/dev/null || return 1
  printf '%s\n' "$shown" | definition
}

create_or_check() {
  name=$1
  set +e
  refusal=$(underpoolctl pool create "$@" --socket="$socket" 2>&1 >/dev/null)
  code=$?
  set -e
  if [ "$code" -eq 0 ]; then
    echo "create-pools: pool $name created"
    return 0
  fi
  # 1 = the agent refused. When a pool of that name exists, compare; any other refusal (an overlap, a bad subnet)
  # and every other failure is reported as it is.
  if [ "$code" -ne 1 ] || ! existing=$(underpoolctl pool show "$name" -o json --socket="$socket" 2>/dev/null); then
    fail "pool $name: $refusal"
  fi
  existing=$(printf '%s\n' "$existing" | definition)
  [ -n "$scratch_pid" ] || start_scratch
  wanted=$(wanted_definition "$@") || fail "pool $name: cannot work out the wanted definition"
  if [ "$existing" != "$wanted" ]; then
    fail "pool $name already exists and differs from the chart's values; change it with 'underpoolctl pool update' or the values.
existing:
$existing
wanted:
$wanted"
  fi
  echo "create-pools: pool $name exists, identical"
}

wait_ready "$socket" "$wait_seconds" || fail "the agent at $socket was not ready within $wait_seconds s"
for file in "$pools_dir"/*; do
  [ -f "$file" ] || continue
  name=${file##*/}
  set -- "$name"
  while IFS= read -r arg || [ -n "$arg" ]; do
    if [ -n "$arg" ]; then
      set -- "$@" "$arg"
    fi
  done <"$file"
  create_or_check "$@"
done
