using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store.Etcd;
using Underpool.StoreLimit;
using Underpool.Testing;

// Store limit on etcd: one 3-member cluster on loopback, the same number of concurrent clients for each variant,
// variants alternating within each round so machine drift hits all alike. Each variant's cost besides time (CPU of the
// etcd members and of this process, etcd calls by method) is printed per allocation. Usage:
//   dotnet run -c Release --project bench/Underpool.StoreLimit -- [--clients 16] [--ops 2000] [--cas-ops 400] [--rounds 3]
//     [--variants raw,store,add,cas]   (a subset, e.g. --variants add under a profiler)
//     [--warmup-ops 1000]   (each variant runs once with this many allocations, unrecorded, before round 1: the JIT
//                            tiers the code up, as in a long-running agent; 0 for none)
int clients = Option("--clients", 16);
int ops = Option("--ops", 2000);
int casOps = Option("--cas-ops", 400);
int rounds = Option("--rounds", 3);
string[] variants = (Text("--variants") ?? "raw,store,add,cas").Split(',');
int warmupOps = Option("--warmup-ops", 1000);

Console.WriteLine($"store limit: 3-member etcd on 127.0.0.1, {clients} concurrent clients, {ops} allocations per round " +
                  $"({casOps} for the whole-pool CAS), {rounds} rounds, {Environment.ProcessorCount} cores");
await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
using var meter = new ResourceMeter(cluster);
string prefix = $"/upl-limit-{Guid.NewGuid():N}";
var agents = new List<InProcessAgent>();
await using var store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = cluster.ClientUrls, Prefix = prefix });
try
{
    for (int n = 1; n <= 3; n++)
    {
        agents.Add(await InProcessAgent.StartOnEtcdAsync(cluster.ClientUrls, prefix, $"node{n}"));
    }

    await agents[0].CreatePoolAsync(new PoolDefinition { Name = "limit", Subnet = "10.40.0.0/16" });
    await agents[0].CreatePoolAsync(new PoolDefinition { Name = "limit-store", Subnet = "10.41.0.0/16" });
    await store.InitializeAsync(CancellationToken.None);
    PoolSpec storePool = (await store.GetPoolAsync("limit-store", CancellationToken.None))!;
    var results = new List<(LoadResult Result, ResourceUse Use)>();
    if (warmupOps > 0)
    {
        await RoundAsync(-1, warmupOps, Math.Min(warmupOps, casOps));
        Console.WriteLine($"warm-up: every variant once with {warmupOps} allocations, not recorded");
        results.Clear();
    }

    for (int round = 0; round < rounds; round++)
    {
        await RoundAsync(round, ops, casOps);
    }

    async Task RoundAsync(int round, int allocations, int casAllocations)
    {
        // Round -1 (the warm-up) writes keys and addresses of its own: its index is past the recorded rounds'.
        int r = round < 0 ? rounds : round;
        int before = results.Count;
        if (variants.Contains("raw"))
        {
            results.Add(await meter.MeasureAsync(() => RawTxnLoad.RunAsync(cluster, $"{prefix}/r{r}", clients, allocations)));
        }

        if (variants.Contains("store"))
        {
            results.Add(await meter.MeasureAsync(() => StoreCommitLoad.RunAsync(store, storePool, $"r{r}", r * ops, clients, allocations)));
        }

        if (variants.Contains("add"))
        {
            results.Add(await meter.MeasureAsync(() => AgentAddLoad.RunAsync(agents, $"r{r}", clients, allocations)));
        }

        if (variants.Contains("cas"))
        {
            results.Add(await meter.MeasureAsync(() => WholePoolCasLoad.RunAsync(cluster, $"{prefix}/r{r}", clients, casAllocations)));
        }

        foreach ((LoadResult result, ResourceUse use) in results.Skip(before).Where(_ => round >= 0))
        {
            Console.WriteLine($"round {round + 1}: {result}");
            Console.WriteLine($"         {use.PerOperation(result.Operations)}");
        }
    }

    Console.WriteLine();
    double rawMedian = Median(results.Where(r => r.Result.Name == results[0].Result.Name).Select(r => r.Result.PerSecond));
    foreach (IGrouping<string, (LoadResult Result, ResourceUse Use)> variant in results.GroupBy(r => r.Result.Name))
    {
        double[] rates = variant.Select(r => r.Result.PerSecond).Order().ToArray();
        double median = Median(rates);
        int done = variant.Sum(r => r.Result.Operations);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{variant.Key,-28} median {median,7:F0}/s (min-max {rates[0]:F0}-{rates[^1]:F0}), ratio to raw {median / rawMedian:F2}, " +
            $"retries per allocation {variant.Sum(r => r.Result.Retries) / (double)done:F3}, failures {variant.Sum(r => r.Result.Failures)}"));
        Console.WriteLine($"{string.Empty,-28} {Sum(variant.Select(r => r.Use)).PerOperation(done)}");
    }
}
finally
{
    foreach (InProcessAgent agent in agents)
    {
        await agent.DisposeAsync();
    }
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
        ? value
        : fallback;
}

string? Text(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static ResourceUse Sum(IEnumerable<ResourceUse> uses) => uses.Aggregate(ResourceUse.None, (a, b) => new ResourceUse(
    a.EtcdCpu + b.EtcdCpu,
    a.ProcessCpu + b.ProcessCpu,
    a.Calls.Keys.Union(b.Calls.Keys).ToDictionary(k => k, k => a.Calls.GetValueOrDefault(k) + b.Calls.GetValueOrDefault(k), StringComparer.Ordinal),
    a.Proposals + b.Proposals));
