using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>`node forget NAME`: a dead node's non-static addresses go back at once; static ones stay; a live node is
/// refused.</summary>
public sealed class NodeForgetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CniAddRequest Add(string container, bool isStatic = false) => new()
    {
        Attachment = new AttachmentIdentity
        {
            Network = "net1", ContainerId = container, IfName = "eth0", NetNs = $"/var/run/netns/{container}", PodNamespace = "shop", PodName = container,
        },
        Pools = new PoolChoice { Ipv4 = ["v4"] },
        Static = isStatic,
    };

    [Fact]
    public async Task Forget_of_a_dead_node_releases_its_non_static_addresses_and_keeps_static_ones()
    {
        await using InProcessAgent survivor = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await survivor.CreatePoolAsync(PoolDefinitions.V4());
        await survivor.AddAsync("mine", v4: ["v4"]);
        await using (InProcessAgent doomed = await InProcessAgent.StartAsync(_dir.Path, "node2", configure: o => o with { NodeTtl = TimeSpan.FromSeconds(1) }))
        {
            Assert.True(doomed.Client.Add(Add("pod-a")).IsSuccess);
            Assert.True(doomed.Client.Add(Add("db-0", isStatic: true)).IsSuccess);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (survivor.Client.ListNodes().Value!.Nodes.Single(n => n.Name == "node2").Alive)
        {
            await Task.Delay(100, deadline.Token);
        }

        ApiResult<NodeForgetResponse> forget = survivor.Client.ForgetNode("node2");

        Assert.True(forget.IsSuccess, forget.Problem?.Detail);
        Assert.Equal(("pod-a", 1), (Assert.Single(forget.Value.Released).ContainerId, forget.Value.KeptStatic));
        Assert.Equal(["db-0", "mine"], (await survivor.AllocationsAsync()).Select(a => a.ContainerId).Order());
        Assert.Contains("underpool_releases_total{pool=\"v4\",reason=\"forget\"} 1", survivor.Client.GetMetricsText().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_of_a_live_node_is_refused_and_releases_nothing()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        await agent.AddAsync("mine", v4: ["v4"]);

        ApiResult<NodeForgetResponse> forget = agent.Client.ForgetNode("node1");

        Assert.Equal(("node-alive", 409), (forget.Problem!.Type, forget.Problem.Status));
        Assert.Single(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task Forget_of_an_unknown_node_is_a_404()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path, "node1");

        ApiResult<NodeForgetResponse> forget = agent.Client.ForgetNode("nobody");

        Assert.Equal(("unknown-node", 404), (forget.Problem!.Type, forget.Problem.Status));
    }
}
