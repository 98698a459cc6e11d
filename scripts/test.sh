#!/usr/bin/env bash
# Runs every test: installs what is missing, builds and publishes the programs (the lab tests exec the real
# AOT plugin through the real macvlan plugin), then runs each test project. Must run as root (namespaces).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/install-deps.sh"
need_root
install_missing_packages
"$root/scripts/build.sh"
"$root/scripts/install-tools.sh"
export UNDERPOOL_BIN="$root/out/bin"

results="$root/out/test-results"
rm -rf "$results"
mkdir -p "$results"
failed_projects=()
for project in "$root"/tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  # --blame-hang turns a hung test into a dump and a failure instead of a stuck CI run.
  if ! dotnet test "$project" -c Release --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
        --blame-hang --blame-hang-timeout 5m; then
    failed_projects+=("$name")
  fi
done

# One closing line for people and CI: totals over every project's TRX file.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo
if [ ${#failed_projects[@]} -gt 0 ]; then
  echo "failing test projects: ${failed_projects[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_projects[@]}
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
