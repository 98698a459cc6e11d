#!/usr/bin/env bash
# Builds the solution and publishes the three programs into out/bin:
#   underpool    the CNI IPAM plugin (NativeAOT: it starts on every CNI call)
#   underpoolctl the CLI (NativeAOT)
#   underpoold   the agent (framework-dependent, JIT)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${UNDERPOOL_OUT:-$root/out/bin}
mkdir -p "$out"
cd "$root"
dotnet build Underpool.sln -c Release --nologo -clp:ErrorsOnly -v:q
dotnet publish src/Underpool.Plugin -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/plugin"
dotnet publish src/Underpool.Cli -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/cli"
dotnet publish src/Underpool.Daemon -c Release --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/agent"
install -m 0755 "$root/out/publish/plugin/underpool" "$out/underpool"
install -m 0755 "$root/out/publish/cli/underpoolctl" "$out/underpoolctl"
# The agent stays next to its assemblies; a small launcher puts it on the same bin dir.
cat > "$out/underpoold" <<LAUNCHER
#!/bin/sh
exec "$root/out/publish/agent/underpoold" "\$@"
LAUNCHER
chmod 0755 "$out/underpoold"
echo "underpool: built into $out"
