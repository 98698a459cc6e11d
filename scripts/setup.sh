#!/usr/bin/env bash
# One command on a fresh Debian 12 machine (as root): installs what is missing, builds, runs the demo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/install-deps.sh"
need_root
install_missing_packages
"$root/scripts/build.sh"
exec "$root/scripts/demo.sh"
