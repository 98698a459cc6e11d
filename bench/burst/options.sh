# shellcheck shell=bash
# The burst runner's command line, apart from the runner so it can be checked without root or a lab.
#
#   source bench/burst/options.sh
#   burst_parse_options "$@" || exit 2   # sets pods rounds nodes shape store etcd_endpoints probe

burst_usage() {
  cat <<'USAGE'
usage: bench/burst/run.sh [--pods N] [--rounds N] [--nodes N] [--shape ipam|macvlan] [--probe both|on|off]
                          [--store embedded | --store etcd --etcd-endpoints URLS]
  --pods N          concurrent ADDs per burst (default 100; the pool holds 65,000 addresses)
  --rounds N        bursts per case; wall times are reported as median and min-max over them (default 3)
  --nodes N         lab nodes for the multi-node case, one agent each (default 3; 1 skips that case)
  --shape ipam      the IPAM plugin exec'd alone, as macvlan would exec it (default)
  --shape macvlan   the real /usr/lib/cni/macvlan execs the IPAM, into a netns per pod
  --probe both      each Underpool case twice: a pool with conflict probing off, and one with probing on (the
                    default users get; the agents probe inside their node's namespace) (default)
  --probe on|off    only one of the two
  --store embedded  the agents share one SQLite store (default)
  --store etcd      the agents use etcd at --etcd-endpoints (comma-separated http://HOST:PORT), under a key
                    prefix of their own per run
USAGE
}

# Sets the options as globals; on a mistake prints what is wrong and the usage, and returns 1.
burst_parse_options() {
  pods=100 rounds=3 nodes=3 shape=ipam store=embedded etcd_endpoints="" probe=both
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help) burst_usage; exit 0 ;;
      --pods | --rounds | --nodes | --shape | --store | --etcd-endpoints | --probe)
        if [ $# -lt 2 ]; then
          echo "burst: $1 needs a value" >&2; burst_usage >&2; return 1
        fi
        case $1 in
          --pods) pods=$2 ;;
          --rounds) rounds=$2 ;;
          --nodes) nodes=$2 ;;
          --shape) shape=$2 ;;
          --store) store=$2 ;;
          --etcd-endpoints) etcd_endpoints=$2 ;;
          --probe) probe=$2 ;;
        esac
        shift 2 ;;
      *) echo "burst: unknown argument '$1'" >&2; burst_usage >&2; return 1 ;;
    esac
  done
  local problem=""
  if [[ ! $pods =~ ^[1-9][0-9]{0,3}$ ]]; then problem="--pods '$pods' must be 1-9999"
  elif [[ ! $rounds =~ ^[1-9][0-9]?$ ]]; then problem="--rounds '$rounds' must be 1-99"
  elif [[ ! $nodes =~ ^[1-9]$ ]]; then problem="--nodes '$nodes' must be 1-9"
  elif [[ $shape != ipam && $shape != macvlan ]]; then problem="--shape '$shape' must be ipam or macvlan"
  elif [[ $probe != on && $probe != off && $probe != both ]]; then problem="--probe '$probe' must be on, off or both"
  elif [[ $store != embedded && $store != etcd ]]; then problem="--store '$store' must be embedded or etcd"
  elif [[ $store == etcd && -z $etcd_endpoints ]]; then problem="--store etcd needs --etcd-endpoints http://HOST:PORT[,...]"
  elif [[ $store == embedded && -n $etcd_endpoints ]]; then problem="--etcd-endpoints needs --store etcd"
  fi
  if [ -n "$problem" ]; then
    echo "burst: $problem" >&2
    return 1
  fi
}
