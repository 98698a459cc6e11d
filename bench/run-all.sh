#!/usr/bin/env bash
# Every benchmark in one run (about 15 minutes on 2 cores): build, micro benchmarks (BenchmarkDotNet, short job),
# side by side with host-local (N=200 ADD+DEL, through macvlan and IPAM alone), bursts of 100 concurrent ADDs (one
# node, three nodes, host-local; Underpool with conflict probing off and on), the scale run (1,000 pods on 10 nodes
# through macvlan, probing off and on, host-local alongside), underlay versus overlay (ping and iperf3 across two
# nodes), then PNG charts (gnuplot) and a summary. Each part removes what it creates (namespaces, links, agents,
# temp dirs) even when interrupted; the full outputs and charts stay in out/bench/LATEST for docs/benchmarks.md. On
# etcd: the IPAM burst and the scale run again with the agents on a single-member etcd started on a loopback port,
# and the store limit (bench/Underpool.StoreLimit: raw etcd txn/s, Underpool ADDs/s, a whole-pool CAS variant on a
# 3-member cluster).
# Then the agent's footprint (bench/Underpool.Footprint: resident memory idle, after 10,000 and 100,000 allocations,
# and after releasing them) and the import rate (bench/Underpool.ImportRate: 10,000 allocations through
# `POST /v1/import`, per store). Each part's duration goes to steps.txt beside the outputs.
#
# Usage (root): bench/run-all.sh [--quick] [--skip-build] [--no-etcd]
#   --quick        a smoke run with small N (a few minutes): checks that everything runs, figures mean nothing
#   --skip-build   use out/bin and the benchmark builds as they are
#   --no-etcd      skip the etcd parts
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0 build=1 etcd=1
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; shift ;;
    --skip-build) build=0; shift ;;
    --no-etcd) etcd=0; shift ;;
    *) echo "usage: $0 [--quick] [--skip-build] [--no-etcd]" >&2; exit 2 ;;
  esac
done
source "$root/bench/lib/etcd.sh"
source "$root/bench/lib/goals.sh"
etcd_dir=$(mktemp -d /tmp/upb-etcd.XXXXXX)
cleanup_etcd() { etcd_stop; rm -rf "$etcd_dir"; }
trap cleanup_etcd EXIT
trap 'exit 130' INT TERM HUP PIPE
if [ "$(id -u)" -ne 0 ]; then
  echo "run-all: must run as root (the lab benchmarks create network namespaces)" >&2
  exit 2
fi

if [ "$quick" = 1 ]; then
  micro_job=dry side_flags=(-n 10 --fill 200) burst_flags=(--pods 20 --rounds 1) macvlan_rounds=1
  limit_flags=(--ops 200 --cas-ops 40 --rounds 1)
  scale_flags=(--pods 100 --nodes 4 --rounds 1) overlay_flags=(--samples 100 --seconds 1 --rounds 1)
  import_flags=(--allocations 1000 --rounds 1) footprint_flags=(--allocations 2000 --checkpoints 1000 --settle 2)
else
  # Sized for about 15 minutes on 2 cores: the issue-16 figures (side by side, scale, footprint, store limit,
  # overlay) at full size; the bursts, which no goal names, at 3 rounds (macvlan's cost more: a netns per pod, 2);
  # one round of each 1,000-pod scale run (each is six phases of 1,000 calls). The side-by-side fill is 2,000: the
  # footprint step measures the agent's memory at 10,000 and 100,000 allocations.
  micro_job=short side_flags=(-n 200 --fill 2000) burst_flags=(--pods 100 --rounds 3) macvlan_rounds=2
  limit_flags=(--clients 16 --ops 2000 --cas-ops 400 --rounds 3)
  scale_flags=(--pods 1000 --nodes 10 --rounds 1) overlay_flags=(--samples 1000 --seconds 3 --rounds 3)
  import_flags=(--allocations 10000 --rounds 3) footprint_flags=(--allocations 100000 --checkpoints 10000 --settle 10)
fi
out="$root/out/bench/$(date +%Y%m%d-%H%M%S)"
results="$out/plots"
mkdir -p "$out" "$results"
ln -sfn "$out" "$root/out/bench/LATEST"
started=$SECONDS

# step NAME COMMAND...: runs one part with its output in $out/NAME.log (and on the terminal), timed.
step() {
  local name=$1 t0=$SECONDS
  shift
  echo "== $name: $*"
  if ! "$@" 2>&1 | tee "$out/$name.log"; then
    echo "run-all: $name failed; its output is in $out/$name.log" >&2
    exit 1
  fi
  echo "== $name took $((SECONDS - t0)) s"
  echo "$name $((SECONDS - t0)) s" >>"$out/steps.txt"
}

machine() {
  echo "machine: $(nproc) cores $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo),"
  echo "  $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), .NET $(dotnet --version 2>/dev/null || echo '?'), $(date -u +%Y-%m-%dT%H:%MZ)"
}

machine | tee "$out/machine.txt"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
if [ "$build" = 1 ]; then
  step build "$root/scripts/build.sh"
  step build-bench dotnet build "$root/bench/Underpool.Bench" -c Release --nologo -v:q -clp:ErrorsOnly
  step build-store-limit dotnet build "$root/bench/Underpool.StoreLimit" -c Release --nologo -v:q -clp:ErrorsOnly
  step build-import-rate dotnet build "$root/bench/Underpool.ImportRate" -c Release --nologo -v:q -clp:ErrorsOnly
  step build-footprint dotnet build "$root/bench/Underpool.Footprint" -c Release --nologo -v:q -clp:ErrorsOnly
fi
measured=$SECONDS
step micro dotnet run -c Release --no-build --project "$root/bench/Underpool.Bench" -- \
  --filter '*' --job "$micro_job" --artifacts "$out/micro"
step side-by-side "$root/bench/side-by-side/run.sh" "${side_flags[@]}" --results "$results"
step burst-ipam "$root/bench/burst/run.sh" "${burst_flags[@]}" --shape ipam --probe both
step burst-macvlan "$root/bench/burst/run.sh" "${burst_flags[@]}" --shape macvlan --rounds "$macvlan_rounds" --probe both
step scale-embedded "$root/bench/scale/run.sh" "${scale_flags[@]}" --store embedded --probe both --results "$results"
step underlay-vs-overlay "$root/bench/underlay-vs-overlay/run.sh" "${overlay_flags[@]}" --results "$results"
if [ "$etcd" = 1 ]; then
  etcd_start "$etcd_dir"
  step burst-ipam-etcd "$root/bench/burst/run.sh" "${burst_flags[@]}" --shape ipam --probe both --store etcd --etcd-endpoints "$etcd_url"
  # A fresh member for the scale run: the bursts' keys and compaction history stay out of its figures.
  etcd_stop
  step scale-etcd "$root/bench/scale/run.sh" "${scale_flags[@]}" --store etcd --probe both --results "$results"
  step store-limit dotnet run -c Release --no-build --project "$root/bench/Underpool.StoreLimit" -- "${limit_flags[@]}"
fi
step footprint dotnet run -c Release --no-build --project "$root/bench/Underpool.Footprint" -- \
  --only mass-release "${footprint_flags[@]}" --bin "$root/out/bin"
step import-rate dotnet run -c Release --no-build --project "$root/bench/Underpool.ImportRate" -- "${import_flags[@]}" \
  --store "$([ "$etcd" = 1 ] && echo both || echo embedded)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
step plots "$root/bench/plot/render.sh" "$results"

echo
echo "================ summary ($((SECONDS - started)) s, of which $((SECONDS - measured)) s after the build; full outputs in $out) ================"
cat "$out/machine.txt"
echo
echo "-- micro (BenchmarkDotNet, $micro_job job)"
for table in "$out"/micro/results/*-report-github.md; do
  grep '^|' "$table" | sed 's/\*\*//g' || true
  echo
done
echo "-- side by side, ADD+DEL of one container, alternating"
grep -E '^(shape|macvlan|ipam|agent|store)' "$out/side-by-side.log" || true
for burst in ipam macvlan ipam-etcd; do
  [ -e "$out/burst-$burst.log" ] || continue
  echo
  echo "-- burst, $burst"
  sed -n '/^case /,$p' "$out/burst-$burst.log"
done
for store in embedded etcd; do
  [ -e "$out/scale-$store.log" ] || continue
  echo
  echo "-- scale, $store store: $(grep -o '^Scale: [^;]*' "$out/scale-$store.log" | sed 's/^Scale: //')"
  grep -E '^(case |underpool-|host-local |goal|left|failed|quarantined during)' "$out/scale-$store.log" || true
done
if [ -e "$out/underlay-vs-overlay.log" ]; then
  echo
  echo "-- underlay vs overlay, two lab nodes"
  sed -n '/^case /,$p' "$out/underlay-vs-overlay.log"
fi
if [ -e "$out/store-limit.log" ]; then
  echo
  echo "-- store limit on etcd (3 members)"
  grep -E '^(store limit|raw etcd|underpool ADD|whole-pool)' "$out/store-limit.log" || true
fi
echo
echo "-- issue 16's goals, as this run found them"
goals_report "$out"
echo
echo "-- each part's duration (s)"
cat "$out/steps.txt"
echo
echo "-- charts"
grep '^plot: ' "$out/plots.log" || true
echo "-- agent footprint (resident memory)"
grep -E '^RSS' "$out/footprint.log" || true
echo "-- import rate"
grep -E '^(import rate|embedded:|etcd:)' "$out/import-rate.log" || true

# Only what these scripts make: namespaces named upbXXXXXX-*, agents serving a /tmp/upb-* state dir (other people's
# agents on this machine are none of our business).
cleanup_etcd
leftovers=$( (ip netns list | grep -E '^upb[0-9a-f]{6}-' || true; pgrep -af 'underpoold.*/tmp/upb-' || true; pgrep -af 'etcd --name bench' || true
  find /tmp /dev/shm -maxdepth 1 -type d \( -name 'upb-*' -o -name 'upl-etcd-*' -o -name 'upl-footprint-*' \) 2>/dev/null) | head)
if [ -n "$leftovers" ]; then
  echo "run-all: something outlived the benchmarks:" >&2
  echo "$leftovers" >&2
  exit 1
fi
