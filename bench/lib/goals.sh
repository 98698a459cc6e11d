# shellcheck shell=bash
# Issue 16's goals, judged from one run-all output directory: one line per goal with its figure and "met" or
# "NOT met". Sourced by bench/run-all.sh (its summary) and usable alone: source bench/lib/goals.sh; goals_report DIR

# goal_line LABEL FIGURE MET: one line; MET is 1 for met.
goal_line() {
  printf 'goal %-50s %-42s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo 'NOT met')"
}

# at_most VALUE LIMIT: 1 when VALUE <= LIMIT (decimals allowed).
at_most() { awk -v v="$1" -v l="$2" 'BEGIN { print (v != "" && v + 0 <= l + 0) ? 1 : 0 }'; }

goals_report() {
  local dir=$1 ratio wall line rss idle at10k at100k after txn
  if [ -e "$dir/scale-embedded.log" ] || [ -e "$dir/scale-etcd.log" ]; then
    for store in embedded etcd; do
      [ -e "$dir/scale-$store.log" ] || continue
      # The runner's own verdict line for the case users get (probing on).
      line=$(grep '^goal, underpool-probe-on:' "$dir/scale-$store.log" || true)
      wall=$(sed -n 's/.* addressed in \([0-9.]*\) s.*/\1/p' <<<"$line")
      ratio=$(sed -n 's/.*), \([0-9.]*\) x host-local.*/\1/p' <<<"$line")
      goal_line "16.1 scale, $store: all addressed in <= 20 s" "${wall:-?} s" "$(at_most "$wall" 20)"
      goal_line "16.1 scale, $store: <= host-local" "${ratio:-?} x host-local" "$(at_most "$ratio" 1)"
    done
  fi
  if [ -e "$dir/side-by-side.log" ]; then
    ratio=$(sed -n 's/^ipam *ratio underpool\/host-local (median): *//p' "$dir/side-by-side.log")
    goal_line "16.2 IPAM-alone ADD+DEL <= 1.1 x host-local" "${ratio:-?} x host-local" "$(at_most "$ratio" 1.1)"
  fi
  if [ -e "$dir/footprint.log" ]; then
    rss() { sed -n "s/^RSS $1[^:]*: *\([0-9.]*\) MiB.*/\1/p" "$dir/footprint.log" | head -1; }
    idle=$(rss idle) at10k=$(rss 'after 10000 ADDs') at100k=$(rss 'after 100000 ADDs') after=$(rss '[0-9]* s after the release')
    goal_line "16.3 agent idle <= 40 MiB" "${idle:-?} MiB" "$(at_most "$idle" 40)"
    goal_line "16.3 agent with 100,000 allocations <= 60 MiB" "${at100k:-?} MiB (10,000: ${at10k:-?}; after release: ${after:-?})" "$(at_most "$at100k" 60)"
  fi
  if [ -e "$dir/store-limit.log" ]; then
    ratio=$(sed -n 's/^underpool ADD.*ratio to raw \([0-9.]*\).*/\1/p' "$dir/store-limit.log")
    goal_line "16.4 Underpool ADDs >= 0.8 x raw etcd txn/s" "${ratio:-?} x raw" "$(awk -v r="$ratio" 'BEGIN { print (r != "" && r + 0 >= 0.8) ? 1 : 0 }')"
  fi
}
