#!/usr/bin/env bash
# Builds the solution and publishes the three programs into out/bin:
#   underpool    the CNI IPAM plugin (NativeAOT: it starts on every CNI call)
#   underpoolctl the CLI (NativeAOT)
#   underpoold   the agent: NativeAOT by default (starts in a fifth of the time, a quarter of the CPU per ADD and
#                about 40 MiB less memory than JIT; costs ~4 minutes of build: docs/benchmarks.md section 9, "A lean
#                agent"); UNDERPOOL_AGENT=jit publishes the framework-dependent one instead
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${UNDERPOOL_OUT:-$root/out/bin}
mkdir -p "$out"
cd "$root"
dotnet build Underpool.sln -c Release --nologo -clp:ErrorsOnly -v:q
dotnet publish src/Underpool.Plugin -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/plugin"
dotnet publish src/Underpool.Cli -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/cli"
case ${UNDERPOOL_AGENT:-aot} in
  jit) rm -rf "$root/out/publish/agent"
       dotnet publish src/Underpool.Daemon -c Release --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/agent" ;;
  # The output directory is emptied first: one agent's files must not sit beside the other's.
  aot) rm -rf "$root/out/publish/agent"
       dotnet publish src/Underpool.Daemon -c Release -r linux-x64 --nologo -v:q -clp:ErrorsOnly -o "$root/out/publish/agent" ;;
  *) echo "build.sh: UNDERPOOL_AGENT must be jit or aot, not '$UNDERPOOL_AGENT'" >&2; exit 2 ;;
esac
install -m 0755 "$root/out/publish/plugin/underpool" "$out/underpool"
install -m 0755 "$root/out/publish/cli/underpoolctl" "$out/underpoolctl"
# The agent stays next to its files (the native one next to libe_sqlite3.so); a small launcher puts it on the same
# bin dir, with the GC's gen0 budget at 4 MiB as the systemd unit and the chart set it (plain hex digits: NativeAOT
# ignores the 0x form): ~30 MiB less resident after a burst of ADDs, no slower (docs/benchmarks.md section 9).
cat > "$out/underpoold" <<LAUNCHER
#!/bin/sh
: "\${DOTNET_GCgen0size:=400000}"
export DOTNET_GCgen0size
exec "$root/out/publish/agent/underpoold" "\$@"
LAUNCHER
chmod 0755 "$out/underpoold"
echo "underpool: built into $out"
