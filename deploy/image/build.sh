#!/usr/bin/env bash
# Builds Underpool's container image from the repository root.
#   deploy/image/build.sh [IMAGE]     IMAGE defaults to underpool/underpool:<the chart's appVersion>
# CONTAINER_ENGINE picks the builder (default docker; podman and buildah read the same Dockerfile). It needs a
# builder that can pull mcr.microsoft.com/dotnet/sdk and aspnet: Underpool's build machines have neither, so this
# script has never run there.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/deploy/helm/underpool/Chart.yaml")
image=${1:-underpool/underpool:$version}
engine=${CONTAINER_ENGINE:-docker}
"$engine" build -f "$root/deploy/image/Dockerfile" -t "$image" "$root"
echo "underpool: built $image; push it where your nodes pull from and set the chart's image.repository and image.tag"
