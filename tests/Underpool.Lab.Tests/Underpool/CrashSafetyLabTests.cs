using System.Collections.Concurrent;
using System.Diagnostics;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Testing;
using Xunit.Abstractions;

namespace Underpool.Lab.Tests;

/// <summary>Crash safety (issue 6 item 4): a real underpoold is killed with SIGKILL at random moments while 200
/// dual-stack ADDs run against it; the store must hold only complete allocations, each with its owner, and after one
/// sweep nothing that no live pod holds.</summary>
/// <remarks>No network is needed: the pods are plain files standing in for namespace paths (the sweep only asks whether
/// the path exists), probing is off, and the agent is started and killed by PID.</remarks>
public sealed class CrashSafetyLabTests(ITestOutputHelper output)
{
    private const int Adds = 200;
    private const int Workers = 4;
    private const string Network = "crash-net";

    [Fact]
    public async Task Killing_the_agent_at_random_points_of_200_adds_leaves_complete_allocations_or_nothing_and_no_orphan_after_one_sweep()
    {
        int seed = Environment.TickCount;
        var random = new Random(seed);
        using TempDirectory state = TempDirectory.Create("crash");
        string netnsDir = state.Combine("netns");
        Directory.CreateDirectory(netnsDir);
        string socket = state.Combine("agent.sock");
        string dataDir = state.Combine("store");
        string[] agentArgs = ["--probe", "off", "--gc-interval", "0", "--gc-grace", "0"];
        Task<AgentProcess> Start() => AgentProcess.StartAsync("crash1", socket, dataDir, state.Combine("agent.log"), agentArgs);
        AgentProcess? agent = await Start();
        var stopwatch = Stopwatch.StartNew();
        var held = new ConcurrentDictionary<string, string[]>();
        var abandoned = new ConcurrentBag<string>();
        int interrupted = 0;
        int kills = 0;
        try
        {
            var client = new AgentClient(socket, TimeSpan.FromSeconds(5));
            Assert.True(client.CreatePool(PoolDefinitions.V4("v4")).IsSuccess);
            Assert.True(client.CreatePool(PoolDefinitions.V6("v6")).IsSuccess);

            int next = -1;
            using var done = new CancellationTokenSource();
            Task[] workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                var rng = new Random(seed + w + 1);
                for (int i = Interlocked.Increment(ref next); i < Adds; i = Interlocked.Increment(ref next))
                {
                    string container = $"c{i:D3}";
                    string netns = Path.Combine(netnsDir, container);
                    await File.WriteAllTextAsync(netns, "");
                    while (true)
                    {
                        ApiResult<CniAddResponse> add = client.Add(Request(container, netns));
                        if (add.IsSuccess)
                        {
                            held[container] = add.Value.Ips.Select(ip => ip.Address.Split('/')[0]).Order().ToArray();

                            // Paced like pods arriving, so the kills land between and inside ADDs rather than after all.
                            await Task.Delay(rng.Next(0, 40));
                            break;
                        }

                        Interlocked.Increment(ref interrupted);
                        await WaitForAgentAsync(client);

                        // Once the agent is back the runtime either retries the same ADD (as kubelet does) or has
                        // given up and removed the pod without a DEL: a leak if the cut-off ADD had committed.
                        if (rng.Next(3) == 0)
                        {
                            File.Delete(netns);
                            abandoned.Add(container);
                            break;
                        }
                    }
                }
            })).ToArray();
            Task all = Task.WhenAll(workers);

            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(random.Next(0, 100)));
                if (all.IsCompleted)
                {
                    break;
                }

                await agent!.KillAsync();
                kills++;
                await agent.DisposeAsync();
                agent = null;
                agent = await Start();
            }

            await all;
            int releasedBySweep = Sweep(client).Released.Count;
            GcRunResponse second = Sweep(client);
            stopwatch.Stop();

            output.WriteLine(
                $"seed {seed}: {Adds} dual-stack ADDs, {kills} SIGKILLs, {interrupted} ADD calls failed (agent killed mid-call or down), {Adds - abandoned.Count} pods alive "
                + $"({abandoned.Count} abandoned without DEL), sweep released {releasedBySweep} leaked addresses; {stopwatch.Elapsed.TotalSeconds:F1} s");
            Assert.True(kills >= 10, $"only {kills} kills: the test did not exercise crashes");
            Assert.Empty(second.Released);
            Assert.True(releasedBySweep % 2 == 0, "a leaked attachment held only one of its two addresses");

            // Every live pod holds exactly what its ADD answered; nobody else holds anything.
            IReadOnlyList<AllocationView> listed = client.ListAllocations(null, null, Network).Value!;
            var byContainer = listed.GroupBy(a => a.ContainerId).ToDictionary(g => g.Key, g => g.Select(a => a.Address).Order().ToArray());
            Assert.Equal(held.Keys.Order(), byContainer.Keys.Order());
            foreach ((string container, string[] addresses) in held)
            {
                Assert.Equal(addresses, byContainer[container]);
                Assert.Equal(2, addresses.Length);
            }

            Assert.Equal(listed.Count, listed.Select(a => a.Address).Distinct().Count());
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }

        await ReconcileStoreAsync(dataDir, held.Count);
    }

    /// <summary>Reads the store itself, the agent stopped: every allocation belongs to an attachment that holds it, every
    /// attachment holds an address of each family, and the per-pool counts agree with the records.</summary>
    private static async Task ReconcileStoreAsync(string dataDir, int livePods)
    {
        await using var store = new SqliteIpamStore(dataDir);
        await store.InitializeAsync(CancellationToken.None);
        IReadOnlyList<AllocationRecord> records = await store.ListAllocationsAsync(new AllocationFilter(), CancellationToken.None);
        foreach (IGrouping<AttachmentKey, AllocationRecord> attachment in records.GroupBy(r => r.Attachment))
        {
            IReadOnlyList<AllocationRecord> stored = await store.GetAttachmentAsync(attachment.Key, CancellationToken.None);
            Assert.Equal(attachment.OrderBy(r => r.Address.ToString()), stored.OrderBy(r => r.Address.ToString()));
            Assert.Equal(2, stored.Select(r => r.Address.Family).Distinct().Count());
            Assert.All(stored, r => Assert.False(string.IsNullOrEmpty(r.NetNs)));
        }

        Assert.Equal(livePods * 2, records.Count);
        IReadOnlyDictionary<string, long> counts = await store.CountAllocationsByPoolAsync(CancellationToken.None);
        Assert.Equal((long)livePods, counts.GetValueOrDefault("v4"));
        Assert.Equal((long)livePods, counts.GetValueOrDefault("v6"));
    }

    private static async Task WaitForAgentAsync(AgentClient client)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!client.Status().IsSuccess)
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    private static GcRunResponse Sweep(AgentClient client)
    {
        ApiResult<GcRunResponse> run = client.RunGc(new GcRunRequest());
        Assert.True(run.IsSuccess, run.Problem?.Detail);
        return run.Value;
    }

    private static CniAddRequest Request(string container, string netns) => new()
    {
        Attachment = new AttachmentIdentity { Network = Network, ContainerId = container, IfName = "eth0", NetNs = netns },
        Pools = new PoolChoice { Ipv4 = ["v4"], Ipv6 = ["v6"] },
    };
}
