using System.Diagnostics;
using System.Globalization;
using k8s.Models;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Footprint;
using Underpool.Testing.Kubernetes;

namespace Underpool.KubeCache;

/// <summary>The real agent (out/bin/underpoold, a process of its own) in Kubernetes mode against the fake API server:
/// its resident memory without Kubernetes mode, as a follower and as the elected agent with PODS pods on its node; an
/// ADD's time with the pod in the node's cache, with a GET (the pod is on another node, so never cached), and without
/// Kubernetes mode; and delete-to-release, from the pod's deletion in the API to its address back in the store.</summary>
internal static class AgentBench
{
    private const string Node = "bench-node";

    public static async Task RunAsync(string[] args)
    {
        int pods = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        int adds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        int deletes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        string bin = Environment.GetEnvironmentVariable("UNDERPOOL_BIN") ?? Path.GetFullPath("out/bin");
        string dir = Directory.CreateTempSubdirectory("underpool-kubeagent-").FullName;
        try
        {
            await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartNewAsync();
            string kubeconfig = server.WriteKubeconfig(dir);
            server.Put(KubeObjects.Node(Node));
            server.Put(KubeObjects.Namespace("bench"));
            for (int i = 0; i < pods; i++)
            {
                server.Put(RealisticPods.Make(i, Node));
            }

            List<V1Pod> cached = Enumerable.Range(0, adds).Select(i => server.Put(KubeObjects.Pod("bench", $"hit-{i}", Node))).ToList();
            List<V1Pod> elsewhere = Enumerable.Range(0, adds).Select(i => server.Put(KubeObjects.Pod("bench", $"miss-{i}", "other-node"))).ToList();
            Console.WriteLine($"underpoold from {bin}; {pods} realistic pods + {adds} small ones on {Node}, {adds} on other-node");

            string[] kube = ["--kubernetes", "--kubeconfig", kubeconfig];
            double plain = await RssAsync(bin, dir, "plain", []);
            server.Put(new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = "underpool-agent", NamespaceProperty = "kube-system" },
                Spec = new V1LeaseSpec { HolderIdentity = "someone-else", LeaseDurationSeconds = 3600, RenewTime = DateTime.UtcNow, AcquireTime = DateTime.UtcNow },
            });
            double empty = await RssAsync(bin, dir, "follower-empty", kube, "empty-node");
            double follower = await RssAsync(bin, dir, "follower", kube);
            server.Delete<V1Lease>("kube-system", "underpool-agent");
            double leader = await RssAsync(bin, dir, "leader", kube);
            Console.WriteLine($"RSS (median of 5 samples, 1 s apart, after 10 s): without --kubernetes {plain:N1} MiB; "
                + $"--kubernetes, follower with no pods on its node {empty:N1} MiB (+{empty - plain:N1}); "
                + $"follower with {pods + adds} pods on its node {follower:N1} MiB (+{follower - plain:N1}); "
                + $"elected (node + cluster caches) {leader:N1} MiB (+{leader - plain:N1})");

            await using (AgentRun agent = await Start(bin, dir, "adds", kube))
            {
                CreatePool(agent.Client);
                Report("ADD, pod in the node's cache", Time(agent.Client, cached, "hit"));
                Report("ADD, pod not cached (one GET)", Time(agent.Client, elsewhere, "miss"));
                Report($"delete-to-release (N={deletes})", await DeleteToReleaseAsync(agent.Client, server, deletes));
            }

            await using (AgentRun agent = await Start(bin, dir, "plain-adds", []))
            {
                CreatePool(agent.Client);
                Report("ADD without --kubernetes (same identity in CNI_ARGS)", Time(agent.Client, cached, "plain"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void CreatePool(AgentClient client)
    {
        ApiResult<PoolView> created = client.CreatePool(new PoolDefinition { Name = "bench", Subnet = "10.80.0.0/16" });
        if (!created.IsSuccess && created.Problem.Type != "pool-exists")
        {
            throw new InvalidOperationException(created.Problem.Detail);
        }
    }

    private static List<double> Time(AgentClient client, List<V1Pod> pods, string prefix)
    {
        var times = new List<double>(pods.Count);
        foreach (V1Pod pod in pods)
        {
            var clock = Stopwatch.StartNew();
            ApiResult<CniAddResponse> add = client.Add(Request(pod, $"{prefix}-{pod.Metadata.Name}"));
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (!add.IsSuccess)
            {
                throw new InvalidOperationException($"ADD of {pod.Metadata.Name}: {add.Problem.Detail}");
            }
        }

        return times;
    }

    private static async Task<List<double>> DeleteToReleaseAsync(AgentClient client, FakeKubernetesApiServer server, int count)
    {
        var times = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            V1Pod pod = server.Put(KubeObjects.Pod("bench", $"gone-{i}", Node));
            ApiResult<CniAddResponse> add = client.Add(Request(pod, $"gone-{i}"));
            if (!add.IsSuccess)
            {
                throw new InvalidOperationException(add.Problem.Detail);
            }

            await Task.Delay(500); // Let the elected agent's cluster watch see the pod before it goes.
            var clock = Stopwatch.StartNew();
            server.Delete<V1Pod>("bench", pod.Metadata.Name);
            while (client.ListAllocations("bench", null, null).Value!.Any(a => a.PodName == pod.Metadata.Name))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"pod {pod.Metadata.Name}'s address was not released within 60 s");
                }

                await Task.Delay(5);
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static CniAddRequest Request(V1Pod pod, string container) => new()
    {
        Attachment = new AttachmentIdentity
        {
            Network = "bench",
            ContainerId = container,
            IfName = "eth0",
            NetNs = $"/var/run/netns/{container}",
            PodNamespace = pod.Metadata.NamespaceProperty,
            PodName = pod.Metadata.Name,
            PodUid = pod.Metadata.Uid,
        },
        Pools = new PoolChoice { Ipv4 = ["bench"] },
    };

    private static async Task<double> RssAsync(string bin, string dir, string name, string[] extra, string node = Node)
    {
        await using AgentRun agent = await Start(bin, dir, name, extra, node);
        await Task.Delay(TimeSpan.FromSeconds(10)); // Lists done, watches open, the JIT settled.
        var samples = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            samples.Add(agent.Rss().Total);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return samples.Order().ElementAt(2);
    }

    private static void Report(string what, List<double> ms)
    {
        List<double> sorted = ms.Order().ToList();
        Console.WriteLine($"{what}: median {sorted[sorted.Count / 2]:N2} ms, min {sorted[0]:N2}, max {sorted[^1]:N2} (N={ms.Count})");
    }

    /// <summary>One underpoold process with a state directory of its own (socket, log, store).</summary>
    private static Task<AgentRun> Start(string bin, string dir, string name, string[] extra, string node = Node)
    {
        string state = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        return AgentRun.StartAsync(bin, state, Path.Combine(state, "data"), node, extra);
    }
}
