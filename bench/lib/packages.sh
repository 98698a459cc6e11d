# shellcheck shell=bash
# Debian packages only the benchmarks use (iperf3, gnuplot-nox): installed on first use, so scripts/test.sh does not
# carry them for CI.
#
#   source bench/lib/packages.sh
#   bench_need iperf3 iperf3 || exit 1         # PROGRAM PACKAGE: installs PACKAGE when PROGRAM is not on PATH

bench_need() {
  local program=$1 package=$2
  command -v "$program" >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: '$program' is missing: apt-get install $package" >&2
    return 1
  fi
  echo "bench: installing $package (for $program)" >&2
  # The package lists may be stale or absent on a fresh machine: update only when the first attempt fails.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null || {
      echo "bench: could not install $package" >&2
      return 1
    }
  fi
  command -v "$program" >/dev/null
}
