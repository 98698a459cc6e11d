using Microsoft.Extensions.Logging;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>Application pools: a fixed address set carved from a subnet pool for one stateless application.</summary>
public sealed class AppPoolTests : AgentTest
{
    private static readonly Dictionary<string, string> WebReplica = new() { ["UNDERPOOL_APP"] = "web" };

    protected override Task ArrangeAsync() => Agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.29"]));

    private Task<ApiResult<PoolView>> CreateAsync(int size, string name = "web-set", bool keep = false) =>
        Task.Run(() => Agent.Client.CreateAppPool(new AppPoolCreate { Name = name, Parent = "v4", App = "shop/web", Size = size, Keep = keep }));

    private Task<ApiResult<PoolView>> ScaleAsync(int size) => Task.Run(() => Agent.Client.ScaleAppPool("web-set", new AppPoolScale { Size = size }));

    private Task<ApiResult<CniAddResponse>> AddAsync(string container, IReadOnlyDictionary<string, string>? args = null) =>
        Task.Run(() => Agent.Client.Add(new CniAddRequest
        {
            // The plugin fills the namespace in from K8S_POD_NAMESPACE; UNDERPOOL_APP=web then means shop/web.
            Attachment = new AttachmentIdentity { Network = "net1", ContainerId = container, IfName = "eth0", PodNamespace = "shop" },
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Args = args ?? new Dictionary<string, string>(),
        }));

    private static string Address(ApiResult<CniAddResponse> add)
    {
        Assert.True(add.IsSuccess, add.Problem?.Detail);
        return add.Value!.Ips[0].Address.Split('/')[0];
    }

    private static List<string> AddressesOf(PoolView pool) =>
        Core.Net.AddressRuns.Addresses(pool.Pool.Ranges.Select(Core.Net.IpRange.Parse)).Select(a => a.ToString()).ToList();

    [Fact]
    public async Task Replicas_draw_only_from_their_application_pool_and_the_parent_never_hands_its_addresses_out()
    {
        PoolView set = (await CreateAsync(3)).Value!;
        List<string> carved = AddressesOf(set);

        string[] replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i => Address(await AddAsync($"web-{i}", WebReplica))));
        ApiResult<CniAddResponse> fourth = await AddAsync("web-3", WebReplica);
        string[] others = await Task.WhenAll(Enumerable.Range(0, 17).Select(async i => Address(await AddAsync($"other-{i}"))));
        ApiResult<CniAddResponse> parentFull = await AddAsync("one-too-many");

        Assert.Equal(("shop/web", "v4", 3), (set.Pool.App, set.Pool.Parent, carved.Count));
        Assert.Equal(carved.Order(), replicas.Order());
        Assert.Equal("pool-exhausted", fourth.Problem?.Type);
        Assert.Empty(others.Intersect(carved));
        Assert.Equal("pool-exhausted", parentFull.Problem?.Type);
    }

    [Fact]
    public async Task Scaling_up_carves_more_and_scaling_down_frees_only_unused_addresses()
    {
        List<string> before = AddressesOf((await CreateAsync(2)).Value!);
        string used = Address(await AddAsync("web-0", WebReplica));

        PoolView grown = (await ScaleAsync(4)).Value!;
        ApiResult<PoolView> tooSmall = await ScaleAsync(0);
        PoolView shrunk = (await ScaleAsync(1)).Value!;

        Assert.Superset(before.ToHashSet(), AddressesOf(grown).ToHashSet());
        Assert.Equal(4, AddressesOf(grown).Count);
        Assert.Equal("invalid-request", tooSmall.Problem?.Type);
        Assert.Equal([used], AddressesOf(shrunk));
        Assert.Equal("172.20.1.10-172.20.1.29", (await Task.Run(() => Agent.Client.GetPool("v4"))).Value!.Pool.Ranges[0]);
        IReadOnlyList<AllocationView> carves = (await Agent.AllocationsAsync("v4")).Where(a => a.Network == "~app-pool").ToList();
        Assert.Equal([used], carves.Select(c => c.Address));
    }

    [Fact]
    public async Task Shrinking_below_the_addresses_in_use_is_refused_and_changes_nothing()
    {
        await CreateAsync(2);
        Address(await AddAsync("web-0", WebReplica));
        Address(await AddAsync("web-1", WebReplica));

        ApiResult<PoolView> refused = await ScaleAsync(1);

        Assert.Equal("app-pool-in-use", refused.Problem?.Type);
        Assert.Contains("2 of its 2 addresses are in use", refused.Problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(2, AddressesOf((await Task.Run(() => Agent.Client.GetPool("web-set"))).Value!).Count);
    }

    [Fact]
    public async Task Deleting_the_application_reclaims_its_pools_except_those_kept()
    {
        await CreateAsync(3);
        await CreateAsync(2, name: "web-kept", keep: true);
        Address(await AddAsync("web-0", WebReplica));

        AppReclaimResponse reclaimed = (await Task.Run(() => Agent.Client.ReclaimApp(new AppReclaim { App = "shop/web" }))).Value!;

        // The replica drew from web-kept (an application's pools are tried by name), so web-set gives back its 3 carves.
        Assert.Equal(["web-set"], reclaimed.Deleted);
        Assert.Equal(["web-kept"], reclaimed.Kept);
        Assert.Equal(3, reclaimed.Released);
        IReadOnlyList<AllocationView> left = await Agent.AllocationsAsync();
        Assert.Equal(
            [("web-kept", "net1", "web-0"), ("web-kept", "~app-pool", "web-kept"), ("web-kept", "~app-pool", "web-kept")],
            left.Select(a => (a.Network == "~app-pool" ? a.ContainerId : a.Pool, a.Network, a.ContainerId)).Order());
        Assert.Equal(["v4", "web-kept"], (await Task.Run(() => Agent.Client.ListPools())).Value!.Select(p => p.Pool.Name));
    }

    [Fact]
    public async Task Reclaiming_an_application_counts_each_address_given_back_once_however_many_replicas_hold_them()
    {
        await CreateAsync(8);
        for (int i = 0; i < 3; i++)
        {
            Address(await AddAsync($"web-{i}", WebReplica));
        }

        AppReclaimResponse reclaimed = (await Task.Run(() => Agent.Client.ReclaimApp(new AppReclaim { App = "shop/web" }))).Value!;

        Assert.Equal((8, 3), (reclaimed.Released, reclaimed.TakenFromReplicas));
        Assert.Equal(0, (await Task.Run(() => Agent.Client.GetPool("v4"))).Value!.Usage.Allocated);
    }

    [Fact]
    public async Task Deleting_an_application_pool_says_how_many_addresses_went_back_and_how_many_replicas_held()
    {
        await CreateAsync(5);
        Address(await AddAsync("web-0", WebReplica));
        Address(await AddAsync("web-1", WebReplica));

        PoolDeleteResponse deleted = (await Task.Run(() => Agent.Client.DeleteAppPool("web-set", force: true))).Value!;

        Assert.Equal((5, 2), (deleted.Released, deleted.TakenFromHolders));
    }

    [Fact]
    public async Task A_replica_of_an_application_without_an_application_pool_draws_from_the_network_pools_and_the_agent_logs_it()
    {
        var logs = new CapturedLogs();
        await using InProcessAgent agent = await InProcessAgent.StartAsync(logs: logs);
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.29"]));

        ApiResult<CniAddResponse> add = await Task.Run(() => agent.Client.Add(new CniAddRequest
        {
            Attachment = new AttachmentIdentity { Network = "net1", ContainerId = "web-0", IfName = "eth0", PodNamespace = "shop" },
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            Args = WebReplica,
        }));

        Assert.Equal("172.20.1.10", Address(add));
        Assert.Single(logs.At(LogLevel.Information, "application shop/web has no ipv4 application pool: its replica draws from the network's pools (v4)"));
    }

    [Theory]
    [InlineData("web-set", "nope", "shop/web", 2, "unknown-pool")]
    [InlineData("Web_Set", "v4", "shop/web", 2, "invalid-request")]
    [InlineData("web-set", "v4", "web", 2, "invalid-request")]
    [InlineData("web-set", "v4", "shop/web", 0, "invalid-request")]
    [InlineData("web-set", "v4", "shop/web", 21, "pool-exhausted")]
    [InlineData("v4", "v4", "shop/web", 2, "pool-exists")]
    public async Task A_bad_application_pool_is_refused_and_carves_nothing(string name, string parent, string app, int size, string type)
    {
        ApiResult<PoolView> created = await Task.Run(() => Agent.Client.CreateAppPool(new AppPoolCreate { Name = name, Parent = parent, App = app, Size = size }));

        Assert.Equal(type, created.Problem?.Type);
        Assert.Empty(await Agent.AllocationsAsync());
        Assert.Equal(["v4"], (await Task.Run(() => Agent.Client.ListPools())).Value!.Select(p => p.Pool.Name));
    }

    [Fact]
    public async Task A_plain_pool_create_cannot_claim_to_be_an_application_pool()
    {
        ApiResult<PoolView> created = await Task.Run(() => Agent.Client.CreatePool(new PoolDefinition { Name = "sneaky", Subnet = "172.20.1.0/24", Parent = "v4", App = "shop/web" }));

        Assert.Equal("invalid-pool", created.Problem?.Type);
        Assert.Contains("app-pool create", created.Problem!.Detail, StringComparison.Ordinal);
    }
}
