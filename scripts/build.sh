#!/usr/bin/env bash
# Builds the solution and publishes the three programs into out/bin:
#   underpool    the CNI IPAM plugin (NativeAOT: it starts on every CNI call)
#   underpoolctl the CLI (NativeAOT)
#   underpoold   the agent: framework-dependent (JIT) by default; UNDERPOOL_AGENT=aot publishes it with NativeAOT
#                (starts in a fifth of the time and CPU, 10 MiB less idle; but ~6.5 CPU-minutes more to build, and
#                Kubernetes mode needs the KubernetesClient.Aot port first: docs/benchmarks.md section 9, "A lean agent")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${UNDERPOOL_OUT:-$root/out/bin}
mkdir -p "$out"
cd "$root"
dotnet build Underpool.sln -c Release --nologo -clp:ErrorsOnly -v:q
dotnet publish src/Underpool.Plugin -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/plugin"
dotnet publish src/Underpool.Cli -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/cli"
case ${UNDERPOOL_AGENT:-jit} in
  jit) dotnet publish src/Underpool.Daemon -c Release --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/agent" ;;
  # The output directory is emptied first: the JIT agent's assemblies must not sit beside the native one.
  aot) rm -rf "$root/out/publish/agent"
       dotnet publish src/Underpool.Daemon -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/agent" ;;
  *) echo "build.sh: UNDERPOOL_AGENT must be jit or aot, not '$UNDERPOOL_AGENT'" >&2; exit 2 ;;
esac
install -m 0755 "$root/out/publish/plugin/underpool" "$out/underpool"
install -m 0755 "$root/out/publish/cli/underpoolctl" "$out/underpoolctl"
# The agent stays next to its assemblies (the native one next to libe_sqlite3.so); a small launcher puts it on the
# same bin dir.
cat > "$out/underpoold" <<LAUNCHER
#!/bin/sh
exec "$root/out/publish/agent/underpoold" "\$@"
LAUNCHER
chmod 0755 "$out/underpoold"
echo "underpool: built into $out"
