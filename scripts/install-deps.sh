#!/usr/bin/env bash
# Installs what Underpool's build, demo and tests need on a Debian 12 machine, and nothing already present.
# Sourced by setup.sh and test.sh; safe to run again.
set -euo pipefail

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "underpool: run this as root (it installs packages and creates network namespaces)" >&2
    exit 1
  fi
}

install_missing_packages() {
  local missing=()
  [ -x /usr/lib/cni/macvlan ] || missing+=(containernetworking-plugins)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v ping >/dev/null || missing+=(iputils-ping)  # lab wiring tests ping between pods
  # NativeAOT links the plugin and the CLI with clang against zlib.
  command -v clang >/dev/null || missing+=(clang)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  command -v curl >/dev/null || missing+=(curl)
  # The etcd store's tests start real etcd members on loopback ports.
  command -v etcd >/dev/null || missing+=(etcd-server)
  # The static-address lab tests run podman 4.3 (CNI backend, runc) in a node namespace entered with nsenter,
  # its containers a bare rootfs holding a static busybox.
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v nsenter >/dev/null || missing+=(util-linux)
  # The underlay-vs-overlay benchmark's smoke test measures TCP throughput with iperf3 (a small package; the
  # benchmarks install their other tools, such as gnuplot, themselves: bench/lib/packages.sh).
  command -v iperf3 >/dev/null || missing+=(iperf3)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "underpool: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! command -v dotnet >/dev/null; then
    echo "underpool: the .NET 10 SDK is missing ('dotnet' is not on PATH); Debian 12 does not package it." >&2
    echo "           Install it from Microsoft's packages for Debian 12 (dotnet-sdk-10.0), then run this again." >&2
    exit 1
  fi
}
