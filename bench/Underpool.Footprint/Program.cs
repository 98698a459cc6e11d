using System.Globalization;
using Underpool.Footprint;

// The agent's footprint on the real underpoold (scripts/build.sh first). Usage (root: it mounts a tmpfs):
//   dotnet run -c Release --project bench/Underpool.Footprint -- [--bin out/bin] [--allocations 50000] [--clients 4]
//       [--settle 20] [--only small-volume|mass-release]
string bin = Text("--bin", Environment.GetEnvironmentVariable("UNDERPOOL_BIN") ?? Path.Combine(Environment.CurrentDirectory, "out", "bin"));
int allocations = Number("--allocations", 50_000);
int clients = Number("--clients", 4);
TimeSpan settle = TimeSpan.FromSeconds(Number("--settle", 20));
string only = Text("--only", "all");

Console.WriteLine($"footprint of {Path.GetFullPath(bin)}/underpoold on {Environment.ProcessorCount} cores");
if (only is "all" or "small-volume")
{
    await SmallVolume.RunAsync(bin, limit: 20_000);
}

if (only is "all" or "mass-release")
{
    await MassRelease.RunAsync(bin, allocations, clients, settle);
}

string Text(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

int Number(string name, int fallback) =>
    int.TryParse(Text(name, string.Empty), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
