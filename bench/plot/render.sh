#!/usr/bin/env bash
# PNG charts (gnuplot) from a benchmark results directory, for docs/benchmarks.md. Draws what the directory holds:
#   side-by-side.png          per-call ADD+DEL latency distribution, Underpool against host-local, by shape
#                             (from side-by-side-IPAM-SHAPE.us, written by bench/side-by-side/run.sh --results)
#   scale-STORE.png           pods addressed over time in the scale run's first round, one line per case
#                             (from scale-STORE-CASE.timeline, written by bench/scale/run.sh --results)
#   underlay-vs-overlay.png   round-trip latency and TCP throughput per data plane
#                             (from underlay-vs-overlay.txt, written by bench/underlay-vs-overlay/run.sh --results)
# gnuplot-nox is installed if missing.
#
# Usage: bench/plot/render.sh RESULTS_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 RESULTS_DIR (a directory the benchmarks wrote with --results)" >&2; exit 2; }
results=$(cd "$1" && pwd)
source "$root/bench/lib/packages.sh"
bench_need gnuplot gnuplot-nox
work=$(mktemp -d /tmp/upb-plot-XXXXXX)
trap 'rm -rf "$work"' EXIT

terminal='set terminal pngcairo size 960,420 font "sans,10" noenhanced'
# One colour per IPAM in every chart: Underpool purple (blue with probing on), host-local green.
color() { case $1 in host-local) echo '#009e73' ;; *-probe-on) echo '#56b4e9' ;; *) echo '#9400d3' ;; esac; }

# cdf SAMPLES_US: "ms fraction" lines, the share of calls that took at most that long.
cdf() { sort -n "$1" | awk '{ a[NR] = $1 } END { for (i = 1; i <= NR; i++) printf "%.3f %.4f\n", a[i] / 1000, i / NR }'; }

side_by_side() {
  local shape ipam plots=() panel
  for shape in macvlan ipam; do
    for ipam in underpool host-local; do
      [ -s "$results/side-by-side-$ipam-$shape.us" ] || return 0
      cdf "$results/side-by-side-$ipam-$shape.us" >"$work/$ipam-$shape.cdf"
    done
  done
  gnuplot <<GNUPLOT
$terminal
set output "$results/side-by-side.png"
set multiplot layout 1,2 title "One ADD+DEL, Underpool against host-local (share of calls done within x ms)"
set grid
set key bottom right
set ylabel "share of calls"
set yrange [0:1]
set xlabel "ms"
set title "through the real macvlan plugin"
plot "$work/underpool-macvlan.cdf" using 1:2 with lines lw 2 lc rgb "$(color underpool)" title "Underpool", \
     "$work/host-local-macvlan.cdf" using 1:2 with lines lw 2 lc rgb "$(color host-local)" title "host-local"
set title "IPAM plugin alone"
plot "$work/underpool-ipam.cdf" using 1:2 with lines lw 2 lc rgb "$(color underpool)" title "Underpool", \
     "$work/host-local-ipam.cdf" using 1:2 with lines lw 2 lc rgb "$(color host-local)" title "host-local"
unset multiplot
GNUPLOT
  echo "plot: $results/side-by-side.png"
}

scale() {
  local store file plot name
  for store in embedded etcd; do
    plot=""
    for file in "$results"/scale-"$store"-*.timeline; do
      [ -s "$file" ] || continue
      name=${file##*/scale-"$store"-}; name=${name%.timeline}
      # From (0, 0): the timer starts before the first pod has its address.
      { echo "0 0"; cat "$file"; } >"$work/$store-$name.steps"
      plot+="${plot:+, }\"$work/$store-$name.steps\" using 1:2 with steps lw 2 lc rgb \"$(color "$name")\" title \"$name\""
    done
    [ -n "$plot" ] || continue
    gnuplot <<GNUPLOT
$terminal
set output "$results/scale-$store.png"
set title "Pods with an address over time: scale run, $store store (first round)"
set grid
set key bottom right
set xlabel "seconds since the first ADD"
set ylabel "pods addressed"
set xrange [0:*]
set yrange [0:*]
plot $plot
GNUPLOT
    echo "plot: $results/scale-$store.png"
  done
}

underlay_vs_overlay() {
  local report="$results/underlay-vs-overlay.txt"
  [ -s "$report" ] || return 0
  # Rows: case rtt_us p99_us min_us max_us rtt_x p99_x tcp_mbit tcp_min tcp_max tcp_x
  awk 'NR > 1 && NF == 11 { print $1, $2, $3, $8, $9, $10 }' "$report" >"$work/dataplanes"
  gnuplot <<GNUPLOT
$terminal
set output "$results/underlay-vs-overlay.png"
set multiplot layout 1,2 title "Pod to pod across two lab nodes: underlay (macvlan) against overlay (vxlan) and the nodes' own path"
set grid ytics
set style fill solid 0.8 border -1
set boxwidth 0.35
set xrange [-0.6:2.6]
set key top left horizontal
set offsets 0, 0, graph 0.15, 0
set title "round trip (ping), lower is better"
set ylabel "microseconds"
set yrange [0:*]
plot "$work/dataplanes" using (\$0 - 0.18):2:xtic(1) with boxes title "median", \
     "" using (\$0 + 0.18):3 with boxes title "p99"
set title "TCP throughput (iperf3), higher is better"
set ylabel "Mbit/s"
set boxwidth 0.5
plot "$work/dataplanes" using 0:4:xtic(1) with boxes notitle, \
     "" using 0:4:5:6 with yerrorbars lc black pt 0 title "min-max"
unset multiplot
GNUPLOT
  echo "plot: $results/underlay-vs-overlay.png"
}

side_by_side
scale
underlay_vs_overlay
