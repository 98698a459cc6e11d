using System.Text.Json;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Kubernetes;

/// <summary>Annotations that reach the agent with no API access: from the netconf's args.cni (Multus' cni-args) and
/// from the runtime's pod-annotations capability, with Kubernetes mode off.</summary>
public sealed class ForwardedAnnotationTests : IAsyncLifetime
{
    private KubernetesAgent _agent = null!; // set in InitializeAsync

    public async Task InitializeAsync()
    {
        _agent = await KubernetesAgent.StartAsync(kubernetes: false);
        await _agent.Agent.CreatePoolAsync(PoolDefinitions.V4("v4", "172.20.1.0/24"));
        await _agent.Agent.CreatePoolAsync(PoolDefinitions.V4("blue", "172.20.2.0/24", gateway: "172.20.2.1"));
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task A_pools_annotation_in_args_cni_as_multus_writes_it_chooses_the_pool()
    {
        // Multus copies cni-args as JSON: here the annotation's JSON itself, not a string holding it.
        var cniArgs = new Dictionary<string, JsonElement> { ["underpool.io/pools"] = JsonDocument.Parse("""{"ipv4":["blue"]}""").RootElement };

        ApiResult<CniAddResponse> add = await _agent.AddAsync("shop", "web-0", "u1", v4: ["v4"], cniArgs: cniArgs);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("blue", Assert.Single(add.Value!.Ips).Pool);
    }

    [Fact]
    public async Task A_pools_annotation_from_the_runtimes_pod_annotations_chooses_the_pool_and_args_cni_wins_over_it()
    {
        var runtime = new Dictionary<string, string> { ["underpool.io/pools"] = """{"ipv4":["blue"]}""" };
        var cniArgs = new Dictionary<string, JsonElement> { ["underpool.io/pools"] = JsonSerializer.SerializeToElement("""{"ipv4":["v4"]}""") };

        ApiResult<CniAddResponse> fromRuntime = await _agent.AddAsync("shop", "web-0", "u1", podAnnotations: runtime, container: "c1");
        ApiResult<CniAddResponse> both = await _agent.AddAsync("shop", "web-1", "u2", podAnnotations: runtime, cniArgs: cniArgs, container: "c2");

        Assert.Equal("blue", Assert.Single(fromRuntime.Value!.Ips).Pool);
        Assert.Equal("v4", Assert.Single(both.Value!.Ips).Pool);
    }

    [Fact]
    public async Task An_unknown_pool_in_the_runtimes_pod_annotations_fails_the_add_saying_where_it_came_from()
    {
        var runtime = new Dictionary<string, string> { ["underpool.io/pools"] = """{"ipv4":["nope"]}""" };

        ApiResult<CniAddResponse> add = await _agent.AddAsync("shop", "web-0", "u1", v4: ["v4"], podAnnotations: runtime);

        Assert.Equal(7, add.Problem!.CniCode);
        Assert.Contains("pod shop/web-0 (from the runtime's pod annotations)", add.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("'nope', which does not exist", add.Problem.Detail, StringComparison.Ordinal);
    }
}
