using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Pods;
using Underpool.KubeCache;
using Underpool.Testing.Kubernetes;

// Usage: dotnet run -c Release --project bench/Underpool.KubeCache [-- PODS [GETS]]
int pods = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
int gets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

// The cache's own content, measured with nothing else in the process yet: each pod goes through the client's JSON
// (strings as the wire gives them), is mapped to what the cache keeps, and dropped.
// One pod first, so the client's JSON metadata and the mapping code are loaded before the baseline.
_ = PodMapping.ToInfo(KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(RealisticPods.Make(0, "node1"))));
long bare = Settle();
var isolated = new Underpool.Kubernetes.Watching.ObjectCache<PodInfo>();
for (int i = 0; i < pods; i++)
{
    V1Pod wire = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(RealisticPods.Make(i, "node1")));
    PodInfo info = PodMapping.ToInfo(wire);
    isolated.Upsert(info.Key, info);
}

long filled = Settle();
Console.WriteLine($"cache content alone: {isolated.Count} pods, {(filled - bare) / 1024.0:N0} KiB ({(filled - bare) / (double)isolated.Count:N0} B per pod)");
GC.KeepAlive(isolated);

await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartNewAsync();
for (int i = 0; i < pods; i++)
{
    server.Put(RealisticPods.Make(i, "node1"));
}

using KubernetesApi api = KubernetesApi.Create(server.ClientConfiguration(), TimeSpan.FromSeconds(5));
V1Pod sample = server.List<V1Pod>()[0];
Console.WriteLine($"pods: {pods}, one pod as JSON: {KubernetesJson.Serialize(sample).Length:N0} bytes");

// Memory: a first cache of the same pods is filled and dropped, so that the JSON contracts, the connection pools and
// Kestrel's buffers (this process also hosts the fake) are warm and counted in the baseline; then an empty cache
// (its follower task and watch), then the full one: the difference is what the cached pods cost.
await using PodDirectory warm = PodDirectory.ForNode(api, "node1", backoff, NullLogger.Instance);
warm.Start();
await warm.Follower.WaitSyncedAsync(default);

await using PodDirectory empty = PodDirectory.ForNode(api, "no-such-node", backoff, NullLogger.Instance);
empty.Start();
await empty.Follower.WaitSyncedAsync(default);
long before = Settle();
await using PodDirectory full = PodDirectory.ForNode(api, "node1", backoff, NullLogger.Instance);
full.Start();
await full.Follower.WaitSyncedAsync(default);
long after = Settle();
Console.WriteLine($"pod cache with its watch, in one process with the fake server: {full.Cache.Count} pods add {(after - before) / 1024.0:N0} KiB ({(after - before) / (double)full.Cache.Count:N0} B per pod)");

// For contrast: the same pods kept whole, as the client's models (what a cache of full objects would hold).
long beforeFull = Settle();
V1PodList whole = await api.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node1");
long afterFull = Settle();
Console.WriteLine($"the same {whole.Items.Count} pods as whole V1Pod objects: {(afterFull - beforeFull) / 1024.0:N0} KiB");
GC.KeepAlive(whole);

// Lookups: a hit is a dictionary read; a miss is one GET through the client (directory without a watch).
List<PodInfo> cached = full.Cache.Snapshot().ToList();
var hits = new List<double>();
for (int round = 0; round < 50; round++)
{
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < 10_000; i++)
    {
        PodInfo p = cached[i % cached.Count];
        _ = await full.GetAsync(p.Namespace, p.Name, p.Uid, TimeSpan.FromSeconds(1), default);
    }

    hits.Add(clock.Elapsed.TotalMicroseconds / 10_000);
}

await using PodDirectory cold = PodDirectory.ForNode(api, "node1", backoff, NullLogger.Instance);
var misses = new List<double>();
for (int i = 0; i < gets; i++)
{
    PodInfo p = cached[i % cached.Count];
    var clock = Stopwatch.StartNew();
    _ = await cold.GetAsync(p.Namespace, p.Name, p.Uid, TimeSpan.FromSeconds(5), default);
    misses.Add(clock.Elapsed.TotalMicroseconds);
}

Console.WriteLine($"lookup, cache hit: median {Median(hits):N3} µs (min {hits.Min():N3}, max {hits.Max():N3}; 50 rounds of 10,000)");
Console.WriteLine($"lookup, direct GET against the fake: median {Median(misses) / 1000:N3} ms (min {misses.Min() / 1000:N3}, max {misses.Max() / 1000:N3}; {gets} GETs, the first 100 included)");

static long Settle()
{
    for (int i = 0; i < 3; i++)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    return GC.GetTotalMemory(forceFullCollection: true);
}

static double Median(List<double> values)
{
    List<double> sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
