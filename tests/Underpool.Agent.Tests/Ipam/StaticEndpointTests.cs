using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>Static endpoints: an instance that comes back under its name (new container, any allowed node) gets the
/// addresses it had; DEL keeps them.</summary>
public sealed class StaticEndpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CniAddRequest Add(string container, string pod, bool isStatic = false, IReadOnlyDictionary<string, string>? args = null, string[]? ips = null, string[]? v6 = null) => new()
    {
        Attachment = Identity(container, pod),
        Pools = new PoolChoice { Ipv4 = ["v4"], Ipv6 = v6 ?? [] },
        Static = isStatic,
        Args = args ?? new Dictionary<string, string>(),
        RequestedIps = ips ?? [],
    };

    private static AttachmentIdentity Identity(string container, string pod) => new()
    {
        Network = "net1",
        ContainerId = container,
        IfName = "eth0",
        NetNs = $"/var/run/netns/{container}",
        PodNamespace = "shop",
        PodName = pod,
    };

    private static Task<ApiResult<CniAddResponse>> AddAsync(InProcessAgent agent, CniAddRequest request) => Task.Run(() => agent.Client.Add(request));

    private static Task<ApiResult<CniDelResponse>> DelAsync(InProcessAgent agent, string container, string pod) =>
        Task.Run(() => agent.Client.Del(new CniDelRequest { Attachment = Identity(container, pod) }));

    private static string Address(ApiResult<CniAddResponse> result)
    {
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value!.Ips[0].Address;
    }

    [Fact]
    public async Task A_static_instance_recreated_on_another_node_gets_the_same_address_after_del()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node2 = await InProcessAgent.StartAsync(_dir.Path, "node2");
        await node1.CreatePoolAsync(PoolDefinitions.V4());
        string first = Address(await AddAsync(node1, Add("c1", "web-0", isStatic: true)));
        await AddAsync(node1, Add("other", "api-0"));
        Assert.True((await DelAsync(node1, "c1", "web-0")).IsSuccess);

        // Meanwhile other pods come and go: none may get the kept address.
        string[] others = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i => Address(await AddAsync(node2, Add($"x{i}", $"x-{i}")))));
        string again = Address(await AddAsync(node2, Add("c2", "web-0", isStatic: true)));

        Assert.Equal(first, again);
        Assert.DoesNotContain(first, others);
        AllocationView held = Assert.Single(await node2.AllocationsAsync(), a => a.Address + "/24" == first);
        Assert.Equal("node2", held.Node);
    }

    [Fact]
    public async Task Del_keeps_a_static_address_and_only_an_explicit_release_frees_it()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10"]));
        Address(await AddAsync(agent, Add("c1", "web-0", args: new Dictionary<string, string> { ["UNDERPOOL_STATIC"] = "true" })));

        await DelAsync(agent, "c1", "web-0");
        ApiResult<CniAddResponse> whileKept = await AddAsync(agent, Add("c2", "api-0"));
        ApiResult<EndpointReleaseResponse> release = await Task.Run(() => agent.Client.ReleaseEndpoints(new EndpointReleaseRequest { Name = "shop/web-0" }));
        ApiResult<CniAddResponse> afterRelease = await AddAsync(agent, Add("c2", "api-0"));

        Assert.Equal("pool-exhausted", whileKept.Problem?.Type);
        Assert.True(release.IsSuccess, release.Problem?.Detail);
        Assert.Equal("172.20.1.10", Assert.Single(release.Value!.Released).Address);
        Assert.Equal("172.20.1.10/24", Address(afterRelease));
    }

    [Fact]
    public async Task A_kept_address_whose_pool_excludes_the_new_node_is_a_clear_error_not_another_address()
    {
        await using InProcessAgent node1 = await InProcessAgent.StartAsync(_dir.Path, "node1");
        await using InProcessAgent node3 = await InProcessAgent.StartAsync(_dir.Path, "node3");
        await node1.CreatePoolAsync(new PoolDefinition { Name = "v4", Subnet = "172.20.1.0/24", Nodes = ["node1", "node2"] });
        string kept = Address(await AddAsync(node1, Add("c1", "web-0", isStatic: true)));
        await DelAsync(node1, "c1", "web-0");

        ApiResult<CniAddResponse> moved = await AddAsync(node3, Add("c2", "web-0", isStatic: true));

        Assert.Equal(("static-address-unusable", 104), (moved.Problem?.Type, moved.Problem?.CniCode));
        Assert.Contains(kept.Split('/')[0], moved.Problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("pool 'v4'", moved.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("node3", moved.Problem.Detail, StringComparison.Ordinal);
        Assert.Single(await node1.AllocationsAsync());
    }

    [Fact]
    public async Task A_late_del_of_the_old_container_does_not_stop_its_successor()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        await AddAsync(agent, Add("c1", "web-0", isStatic: true));
        await AddAsync(agent, Add("c2", "web-0", isStatic: true));

        await DelAsync(agent, "c1", "web-0");

        EndpointView endpoint = Assert.Single((await Task.Run(() => agent.Client.ListEndpoints())).Value!.Endpoints);
        Assert.Equal(("shop/web-0", true, true, "c2"), (endpoint.Name, endpoint.Static, endpoint.Running, endpoint.ContainerId));
    }

    [Fact]
    public async Task A_dual_stack_static_endpoint_keeps_both_addresses_and_lists_them_per_interface()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        await agent.CreatePoolAsync(PoolDefinitions.V6());
        ApiResult<CniAddResponse> first = await AddAsync(agent, Add("c1", "db-0", isStatic: true, v6: ["v6"]));
        await DelAsync(agent, "c1", "db-0");

        ApiResult<CniAddResponse> again = await AddAsync(agent, Add("c2", "db-0", isStatic: true, v6: ["v6"]));

        Assert.Equal(first.Value!.Ips.Select(i => i.Address), again.Value!.Ips.Select(i => i.Address));
        EndpointView endpoint = Assert.Single((await Task.Run(() => agent.Client.ListEndpoints())).Value!.Endpoints);
        EndpointInterface nic = Assert.Single(endpoint.Interfaces);
        Assert.Equal(2, nic.Addresses.Count);
    }

    [Fact]
    public async Task Scaling_a_statefulset_below_an_ordinal_releases_the_higher_ordinals_only()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        var owner = new Dictionary<string, string> { ["UNDERPOOL_OWNER"] = "StatefulSet/web" };
        for (int i = 0; i < 3; i++)
        {
            Address(await AddAsync(agent, Add($"c{i}", $"web-{i}", args: owner)));
        }

        ApiResult<EndpointReleaseResponse> scaled = await Task.Run(() => agent.Client.ReleaseEndpoints(
            new EndpointReleaseRequest { OwnerKind = "StatefulSet", OwnerName = "web", Namespace = "shop", Replicas = 1 }));

        Assert.True(scaled.IsSuccess, scaled.Problem?.Detail);
        Assert.Equal(["shop/web-1", "shop/web-2"], scaled.Value!.Released.Select(r => $"{r.PodNamespace}/{r.PodName}").Order());
        Assert.Equal(["shop/web-0"], (await Task.Run(() => agent.Client.ListEndpoints())).Value!.Endpoints.Select(e => e.Name));
    }

    [Theory]
    [InlineData("UNDERPOOL_STATIC", "yes", "UNDERPOOL_STATIC='yes' must be true or false")]
    [InlineData("UNDERPOOL_OWNER", "web", "UNDERPOOL_OWNER='web' must be KIND/NAME")]
    public async Task Bad_static_arguments_are_refused_and_change_nothing(string key, string value, string expected)
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> result = await AddAsync(agent, Add("c1", "web-0", args: new Dictionary<string, string> { [key] = value }));

        Assert.Equal("invalid-request", result.Problem?.Type);
        Assert.Contains(expected, result.Problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task A_static_endpoint_without_a_name_is_refused()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);
        await agent.CreatePoolAsync(PoolDefinitions.V4());

        ApiResult<CniAddResponse> unnamed = await Task.Run(() => agent.Client.Add(new CniAddRequest
        {
            Attachment = InProcessAgent.Attachment("c2"),
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Static = true,
        }));
        Assert.Contains("needs a name", unnamed.Problem?.Detail, StringComparison.Ordinal);
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task Showing_or_releasing_an_unknown_endpoint_is_a_404_naming_it()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync(_dir.Path);

        ApiResult<EndpointList> show = await Task.Run(() => agent.Client.ListEndpoints("shop/nope"));
        ApiResult<EndpointReleaseResponse> release = await Task.Run(() => agent.Client.ReleaseEndpoints(new EndpointReleaseRequest { Name = "shop/nope" }));

        Assert.Equal(("endpoint-not-found", 404), (show.Problem?.Type, show.Problem?.Status));
        Assert.Equal("endpoint-not-found", release.Problem?.Type);
        Assert.Contains("shop/nope", release.Problem!.Detail, StringComparison.Ordinal);
    }
}
