# shellcheck shell=bash
# The scale runner's command line, apart from the runner so it can be checked without root or a lab.
#
#   source bench/scale/options.sh
#   scale_parse_options "$@" || exit 2   # sets pods nodes concurrency store etcd_endpoints rounds probe results

scale_usage() {
  cat <<'USAGE'
usage: bench/scale/run.sh [--pods N] [--nodes N] [--concurrency N] [--rounds N] [--probe on|off|both]
                          [--store embedded | --store etcd [--etcd-endpoints URLS]] [--results DIR]
  --pods N          pods per round, spread evenly over the nodes (default 1000; at most 5000)
  --nodes N         lab nodes on one switch, one agent each, all on one store (default 10)
  --concurrency N   CNI calls in flight per node at most, as a kubelet runs them (default 10)
  --rounds N        rounds; wall times are reported as median and min-max over them (default 1)
  --probe both      Underpool with conflict probing off and on (the default users get), each its own pool (default)
  --probe on|off    only one of the two
  --store embedded  the agents share one SQLite store (default)
  --store etcd      the agents use etcd: the one at --etcd-endpoints (comma-separated http://HOST:PORT), or else a
                    single member this runner starts on a free loopback port and stops at exit
  --results DIR     also write each case's addressed-pods-over-time (first round) and the report there, for plots
USAGE
}

# Sets the options as globals; on a mistake prints what is wrong and the usage, and returns 1.
scale_parse_options() {
  pods=1000 nodes=10 concurrency=10 rounds=1 probe=both store=embedded etcd_endpoints="" results=""
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help) scale_usage; exit 0 ;;
      --pods | --nodes | --concurrency | --rounds | --probe | --store | --etcd-endpoints | --results)
        if [ $# -lt 2 ]; then
          echo "scale: $1 needs a value" >&2; scale_usage >&2; return 1
        fi
        case $1 in
          --pods) pods=$2 ;;
          --nodes) nodes=$2 ;;
          --concurrency) concurrency=$2 ;;
          --rounds) rounds=$2 ;;
          --probe) probe=$2 ;;
          --store) store=$2 ;;
          --etcd-endpoints) etcd_endpoints=$2 ;;
          --results) results=$2 ;;
        esac
        shift 2 ;;
      *) echo "scale: unknown argument '$1'" >&2; scale_usage >&2; return 1 ;;
    esac
  done
  local problem=""
  if [[ ! $pods =~ ^[1-9][0-9]{0,3}$ ]] || ((pods > 5000)); then problem="--pods '$pods' must be 1-5000"
  elif [[ ! $nodes =~ ^[1-9][0-9]?$ ]] || ((nodes > 50)); then problem="--nodes '$nodes' must be 1-50"
  elif ((pods < nodes)); then problem="--pods $pods must be at least --nodes $nodes (every node gets pods)"
  elif [[ ! $concurrency =~ ^[1-9][0-9]{0,2}$ ]]; then problem="--concurrency '$concurrency' must be 1-999"
  elif [[ ! $rounds =~ ^[1-9][0-9]?$ ]]; then problem="--rounds '$rounds' must be 1-99"
  elif [[ $probe != on && $probe != off && $probe != both ]]; then problem="--probe '$probe' must be on, off or both"
  elif [[ $store != embedded && $store != etcd ]]; then problem="--store '$store' must be embedded or etcd"
  elif [[ $store == embedded && -n $etcd_endpoints ]]; then problem="--etcd-endpoints needs --store etcd"
  fi
  if [ -n "$problem" ]; then
    echo "scale: $problem" >&2
    return 1
  fi
}
