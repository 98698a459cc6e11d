using System.Diagnostics;
using System.Globalization;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Store.Etcd;
using Underpool.Testing;

// The import rate: N allocations (single-stack attachments, as host-local or Whereabouts pods on one network) filed
// through a real agent's POST /v1/import, per store, fresh store each round; then the same import again (every
// attachment already held), and the same records committed one attachment per store call. Usage:
//   dotnet run -c Release --project bench/Underpool.ImportRate -- [--allocations 10000] [--rounds 5] [--store embedded|etcd|both]
int allocations = Option("--allocations", 10_000);
int rounds = Option("--rounds", 5);
string stores = args.SkipWhile(a => a != "--store").Skip(1).FirstOrDefault() ?? "both";

Console.WriteLine($"import rate: {allocations} allocations per import, {rounds} rounds, {Environment.ProcessorCount} cores, "
                  + $"embedded store in {Path.GetTempPath()}, etcd: one member with its data on {(Directory.Exists("/dev/shm") ? "/dev/shm (tmpfs)" : "disk")}");
EtcdCluster? etcd = stores is "etcd" or "both" ? await EtcdCluster.StartAsync(1) : null;
var samples = new List<(string Case, double Seconds)>();
try
{
    for (int round = 1; round <= rounds; round++)
    {
        if (stores is "embedded" or "both")
        {
            using var dir = new TempDir();
            samples.AddRange(await ThroughAgentAsync("embedded", () => InProcessAgent.StartAsync(dir.Path), round));
            using var storeDir = new TempDir();
            samples.Add(await OneCommitEachAsync("embedded", new SqliteIpamStore(storeDir.Path), round));
        }

        if (etcd is not null)
        {
            string prefix = $"/upl-import-bench-{Guid.NewGuid():N}";
            samples.AddRange(await ThroughAgentAsync("etcd", () => InProcessAgent.StartOnEtcdAsync(etcd.ClientUrls, prefix, "node1"), round));
            samples.Add(await OneCommitEachAsync(
                "etcd", new EtcdIpamStore(new EtcdStoreOptions { Endpoints = etcd.ClientUrls, Prefix = $"/upl-single-bench-{Guid.NewGuid():N}" }), round));
        }
    }

    Console.WriteLine();
    foreach (IGrouping<string, (string Case, double Seconds)> group in samples.GroupBy(s => s.Case))
    {
        double[] seconds = group.Select(s => s.Seconds).Order().ToArray();
        double median = seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{group.Key,-44} median {median:F2} s (min-max {seconds[0]:F2}-{seconds[^1]:F2}) = {allocations / median,6:F0} allocations/s"));
    }
}
finally
{
    if (etcd is not null)
    {
        await etcd.DisposeAsync();
    }
}

async Task<(string, double)[]> ThroughAgentAsync(string store, Func<Task<InProcessAgent>> start, int round)
{
    await using InProcessAgent agent = await start();
    var client = new AgentClient(agent.Socket, TimeSpan.FromMinutes(5));
    await agent.CreatePoolAsync(new PoolDefinition { Name = "bench", Subnet = "10.64.0.0/16" });
    ImportRequest request = Request();
    double first = Timed(() => Check(client.Import(request), ImportOutcomes.Imported));
    double again = Timed(() => Check(client.Import(request), ImportOutcomes.AlreadyHeld));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {store}: import {first:F2} s, again (all already held) {again:F2} s"));
    return [($"{store}: import through the agent", first), ($"{store}: the same import again", again)];
}

async Task<(string, double)> OneCommitEachAsync(string store, IIpamStore ipam, int round)
{
    await using (ipam)
    {
        await ipam.InitializeAsync(CancellationToken.None);
        PoolsSnapshot pools = await ipam.ListPoolsAsync(CancellationToken.None);
        await ipam.CreatePoolAsync(new PoolSpec { Name = "bench", Subnet = IpCidr.Parse("10.64.0.0/16") }, pools.Revision, CancellationToken.None);
        PoolSpec pool = (await ipam.GetPoolAsync("bench", CancellationToken.None))!;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < allocations; i++)
        {
            CommitOutcome outcome = await ipam.TryCommitAsync([Record(pool, i)], CancellationToken.None);
            if (outcome.Status != CommitStatus.Committed)
            {
                throw new InvalidOperationException($"commit {i}: {outcome.Status}");
            }
        }

        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {store}: one store commit per attachment {seconds:F2} s"));
        return ($"{store}: one store commit per attachment", seconds);
    }
}

ImportRequest Request() => new()
{
    Source = "bench",
    Network = "bench-net",
    Attachments = Enumerable.Range(0, allocations).Select(i => new ImportAttachment
    {
        ContainerId = ContainerId(i),
        IfName = "eth0",
        Node = "node1",
        PodNamespace = "bench",
        PodName = $"pod-{i}",
        Addresses = [new ImportAddress { Address = Address(i).ToString() }],
    }).ToList(),
};

AllocationRecord Record(PoolSpec pool, int i) => new()
{
    Pool = pool.Name,
    PoolGeneration = pool.Generation,
    Address = Address(i),
    Attachment = new AttachmentKey("bench-net", ContainerId(i), "eth0"),
    Node = "node1",
    PodNamespace = "bench",
    PodName = $"pod-{i}",
    CreatedAt = DateTimeOffset.UtcNow,
};

static IpAddress Address(int i) => IpAddress.Parse("10.64.0.1").Add((UInt128)i);

static string ContainerId(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));

static double Timed(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static void Check(ApiResult<ImportResponse> result, string outcome)
{
    if (!result.IsSuccess)
    {
        throw new InvalidOperationException(result.Problem.Detail);
    }

    if (result.Value.Results.FirstOrDefault(r => r.Outcome != outcome) is { } wrong)
    {
        throw new InvalidOperationException($"{wrong.Address}: {wrong.Outcome} ({wrong.Detail}), expected {outcome}");
    }
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
        ? value
        : fallback;
}
