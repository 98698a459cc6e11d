using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.StoreLimit;
using Underpool.Testing;

// Store limit on etcd: one 3-member cluster on loopback, the same number of concurrent clients for each variant,
// variants alternating within each round so machine drift hits all alike. Usage:
//   dotnet run -c Release --project bench/Underpool.StoreLimit -- [--clients 16] [--ops 2000] [--cas-ops 400] [--rounds 3]
int clients = Option("--clients", 16);
int ops = Option("--ops", 2000);
int casOps = Option("--cas-ops", 400);
int rounds = Option("--rounds", 3);

Console.WriteLine($"store limit: 3-member etcd on 127.0.0.1, {clients} concurrent clients, {ops} allocations per round " +
                  $"({casOps} for the whole-pool CAS), {rounds} rounds, {Environment.ProcessorCount} cores");
await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
string prefix = $"/upl-limit-{Guid.NewGuid():N}";
var agents = new List<InProcessAgent>();
try
{
    for (int n = 1; n <= 3; n++)
    {
        agents.Add(await InProcessAgent.StartOnEtcdAsync(cluster.ClientUrls, prefix, $"node{n}"));
    }

    await agents[0].CreatePoolAsync(new PoolDefinition { Name = "limit", Subnet = "10.40.0.0/16" });
    var results = new List<LoadResult>();
    for (int round = 0; round < rounds; round++)
    {
        results.Add(await RawTxnLoad.RunAsync(cluster, $"{prefix}/r{round}", clients, ops));
        results.Add(await AgentAddLoad.RunAsync(agents, $"r{round}", clients, ops));
        results.Add(await WholePoolCasLoad.RunAsync(cluster, $"{prefix}/r{round}", clients, casOps));
        foreach (LoadResult result in results.TakeLast(3))
        {
            Console.WriteLine($"round {round + 1}: {result}");
        }
    }

    Console.WriteLine();
    double rawMedian = Median(results.Where(r => r.Name == results[0].Name).Select(r => r.PerSecond));
    foreach (IGrouping<string, LoadResult> variant in results.GroupBy(r => r.Name))
    {
        double[] rates = variant.Select(r => r.PerSecond).Order().ToArray();
        double median = Median(rates);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{variant.Key,-28} median {median,7:F0}/s (min-max {rates[0]:F0}-{rates[^1]:F0}), ratio to raw {median / rawMedian:F2}, " +
            $"retries per allocation {variant.Sum(r => r.Retries) / (double)variant.Sum(r => r.Operations):F3}, failures {variant.Sum(r => r.Failures)}"));
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

static double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
