# shellcheck shell=bash
# Summaries the benchmark scripts share, so every figure is computed one way.
#
#   source bench/lib/stats.sh
#   stats <samples.us          # "median p99 min max" in milliseconds, from one microsecond sample per line
#   ratio 12.5 10.0            # 1.25 (the first over the second, two decimals)

# median p99 min max of microsecond samples on stdin, printed in milliseconds. p99 is the nearest-rank
# percentile (the max below 100 samples); the median of an even count is the lower middle sample.
stats() {
  sort -n | awk '{a[NR]=$1} END {
    if (NR == 0) { print "- - - -"; exit }
    p=int(NR*0.99+0.999); printf "%.2f %.2f %.2f %.2f\n", a[int((NR+1)/2)]/1000, a[p]/1000, a[1]/1000, a[NR]/1000 }'
}

# ratio A B: A/B with two decimals, or "-" when either is missing or B is zero.
ratio() {
  awk -v a="${1-}" -v b="${2-}" 'BEGIN { if (a == "" || a == "-" || b == "" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}
