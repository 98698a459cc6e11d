using System.Globalization;
using Underpool.Footprint;

// The agent's footprint on the real underpoold (scripts/build.sh first). Usage (root: it mounts a tmpfs):
//   dotnet run -c Release --project bench/Underpool.Footprint -- [--bin out/bin] [--allocations 50000] [--clients 4]
//       [--checkpoints 10000,...] [--settle 20] [--only small-volume|mass-release]
// --checkpoints: allocation counts on the way to --allocations at which the mass release reports the memory too.
string bin = Text("--bin", Environment.GetEnvironmentVariable("UNDERPOOL_BIN") ?? Path.Combine(Environment.CurrentDirectory, "out", "bin"));
int allocations = Number("--allocations", 50_000);
int clients = Number("--clients", 4);
TimeSpan settle = TimeSpan.FromSeconds(Number("--settle", 20));
string only = Text("--only", "all");
var checkpoints = new List<int>();
foreach (string checkpoint in Text("--checkpoints", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
{
    if (!int.TryParse(checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
    {
        Console.Error.WriteLine($"footprint: --checkpoints takes positive whole numbers separated by commas, not '{checkpoint}'");
        return 2;
    }

    checkpoints.Add(count);
}

Console.WriteLine($"footprint of {Path.GetFullPath(bin)}/underpoold on {Environment.ProcessorCount} cores");
if (only is "all" or "small-volume")
{
    await SmallVolume.RunAsync(bin, limit: 20_000);
}

if (only is "all" or "mass-release")
{
    await MassRelease.RunAsync(bin, allocations, clients, settle, checkpoints);
}

return 0;

string Text(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

int Number(string name, int fallback) =>
    int.TryParse(Text(name, string.Empty), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
