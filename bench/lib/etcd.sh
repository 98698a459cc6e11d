# shellcheck shell=bash
# A single-member etcd for the benchmarks: on a free loopback port, data on tmpfs when there is one, stopped by PID.
#
#   source bench/lib/etcd.sh
#   etcd_start "$state/etcd"      # sets etcd_pid and etcd_url (http://127.0.0.1:PORT)
#   etcd_stop                     # SIGTERM, then SIGKILL after 10 s

# etcd_free_port: a loopback port nothing listens on (checked with ss; the caller retries on the rare race).
etcd_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    if ! ss -Hltn "sport = :$port" | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  echo "bench: no free loopback port found for etcd" >&2
  return 1
}

etcd_start() {
  local dir=$1 client peer
  command -v etcd >/dev/null || { echo "bench: etcd is missing: apt-get install etcd-server" >&2; return 1; }
  mkdir -p "$dir"
  client=$(etcd_free_port) peer=$(etcd_free_port)
  etcd --name bench --data-dir "$dir/data" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" --initial-cluster-state new >"$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  etcd_url="http://127.0.0.1:$client"
  local deadline=$((SECONDS + 30))
  until curl -fsS "$etcd_url/health" 2>/dev/null | grep -q '"health":"true"'; do
    if ((SECONDS >= deadline)) || ! kill -0 "$etcd_pid" 2>/dev/null; then
      echo "bench: etcd did not become healthy on $etcd_url within 30 s; its log:" >&2
      cat "$dir/etcd.log" >&2
      etcd_stop
      return 1
    fi
    sleep 0.1
  done
}

etcd_stop() {
  [ -n "${etcd_pid-}" ] || return 0
  kill -TERM "$etcd_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 "$etcd_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -KILL "$etcd_pid" 2>/dev/null || true
  wait "$etcd_pid" 2>/dev/null || true
  etcd_pid=
}
