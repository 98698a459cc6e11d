using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests.Import;

/// <summary>Importing another IPAM's live allocations through the agent, on each store backend: what is filed, what is
/// skipped and why, and that a filed attachment then behaves as if Underpool had allocated it.</summary>
public abstract class ImportTests : IAsyncLifetime
{
    protected const string Network = "net1";

    private readonly List<InProcessAgent> _agents = [];

    /// <summary>An agent for <paramref name="node"/> on this test's store (every agent of a test shares it).</summary>
    protected abstract Task<InProcessAgent> StartAgentOnStoreAsync(string node);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (InProcessAgent agent in _agents)
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_import_files_each_attachment_in_the_pool_that_hands_out_its_addresses_and_running_it_again_changes_nothing()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        await agent.CreatePoolAsync(PoolDefinitions.V6());
        ImportRequest request = Request(
            Attachment("c1", "172.20.1.20", "fd00:20:1::20"),
            new ImportAttachment
            {
                ContainerId = "c2", IfName = "net1", Node = "node1", PodNamespace = "shop", PodName = "web-1", PodUid = "uid-1",
                Addresses = [new ImportAddress { Address = "172.20.1.21" }],
            });

        ImportResponse first = await ImportedAsync(agent, request);
        ImportResponse second = await ImportedAsync(agent, request);

        Assert.Equal(
            [("172.20.1.20", "v4", ImportOutcomes.Imported), ("fd00:20:1::20", "v6", ImportOutcomes.Imported), ("172.20.1.21", "v4", ImportOutcomes.Imported)],
            first.Results.Select(r => (r.Address, r.Pool, r.Outcome)));
        Assert.All(second.Results, r => Assert.Equal(ImportOutcomes.AlreadyHeld, r.Outcome));
        IReadOnlyList<AllocationView> held = await agent.AllocationsAsync();
        Assert.Equal(
            [("172.20.1.20", "c1", "eth0", "node1"), ("172.20.1.21", "c2", "net1", "node1"), ("fd00:20:1::20", "c1", "eth0", "node1")],
            held.Select(a => (a.Address, a.ContainerId, a.IfName, a.Node)).OrderBy(a => a.Address, StringComparer.Ordinal));
        AllocationView pod = Assert.Single(held, a => a.ContainerId == "c2");
        Assert.Equal((Network, "shop", "web-1", "uid-1"), (pod.Network, pod.PodNamespace, pod.PodName, pod.PodUid));
    }

    [Fact]
    public async Task An_imported_container_gets_its_addresses_back_from_a_repeated_ADD_and_gives_them_back_with_its_DEL()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        await agent.CreatePoolAsync(PoolDefinitions.V6());
        await ImportedAsync(agent, Request(Attachment("c1", "172.20.1.50", "fd00:20:1::50")));

        ApiResult<CniAddResponse> add = await agent.AddAsync("c1", network: Network, v4: ["v4"], v6: ["v6"]);
        ApiResult<CniDelResponse> del = await agent.DelAsync("c1", network: Network);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal(["172.20.1.50/24", "fd00:20:1::50/64"], add.Value!.Ips.Select(i => i.Address));
        Assert.Equal(["172.20.1.50/24", "fd00:20:1::50/64"], del.Value!.Released.Select(i => i.Address));
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task An_ADD_on_another_agent_of_the_store_never_gets_an_imported_address_while_it_is_held()
    {
        InProcessAgent importer = await StartAgentAsync("node1");
        await importer.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.14"]));
        InProcessAgent other = await StartAgentAsync("node2");

        // The other agent's view is primed before the import, so only the journal can tell it.
        Assert.True((await other.AddAsync("warm", v4: ["v4"])).IsSuccess);
        await other.DelAsync("warm");
        await ImportedAsync(importer, Request(Attachment("c1", "172.20.1.11"), Attachment("c2", "172.20.1.13")));

        ApiResult<CniAddResponse>[] adds = [await other.AddAsync("n1", v4: ["v4"]), await other.AddAsync("n2", v4: ["v4"]), await other.AddAsync("n3", v4: ["v4"]), await other.AddAsync("n4", v4: ["v4"])];

        Assert.Equal(["172.20.1.10/24", "172.20.1.12/24", "172.20.1.14/24"], adds.Take(3).Select(a => a.Value!.Ips[0].Address).Order(StringComparer.Ordinal));
        Assert.Equal("pool-exhausted", adds[3].Problem?.Type);
    }

    [Fact]
    public async Task Addresses_outside_every_pool_or_held_by_another_attachment_are_skipped_with_their_whole_attachment_and_never_overwritten()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        await agent.CreatePoolAsync(PoolDefinitions.V6(ranges: ["fd00:20:1::10-fd00:20:1::ff"]));
        string holder = (await agent.AddAsync("holder", v4: ["v4"])).Value!.Ips[0].Address.Split('/')[0];

        ImportResponse response = await ImportedAsync(agent, Request(
            Attachment("taken", holder),
            Attachment("outside", "192.168.99.1"),
            Attachment("half", "172.20.1.60", "fd00:20:1::1:0"),
            Attachment("gateway", "172.20.1.1"),
            Attachment("fine", "172.20.1.61")));

        Assert.Equal(
            [
                ("taken", ImportOutcomes.Skipped), ("outside", ImportOutcomes.Skipped), ("half", ImportOutcomes.Skipped),
                ("half", ImportOutcomes.Skipped), ("gateway", ImportOutcomes.Skipped), ("fine", ImportOutcomes.Imported),
            ],
            response.Results.Select(r => (r.ContainerId, r.Outcome)));
        Assert.StartsWith($"held by {Network}/holder/eth0", response.Results[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("outside every pool", response.Results[1].Detail, StringComparison.Ordinal);
        Assert.StartsWith("not filed because fd00:20:1::1:0 of the same attachment cannot be", response.Results[2].Detail, StringComparison.Ordinal);
        Assert.StartsWith("outside every pool", response.Results[3].Detail, StringComparison.Ordinal);
        Assert.StartsWith("outside every pool", response.Results[4].Detail, StringComparison.Ordinal);
        Assert.Equal(
            [(holder, "holder"), ("172.20.1.61", "fine")],
            (await agent.AllocationsAsync()).Select(a => (a.Address, a.ContainerId)));
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_file_and_pools_it_would_create_and_changes_nothing()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        var request = new ImportRequest
        {
            Source = "test",
            Network = Network,
            DryRun = true,
            CreatePools = [PoolDefinitions.V4("imported-v4", "172.20.9.0/24", gateway: "172.20.9.1")],
            Attachments = [Attachment("c1", "172.20.1.20"), Attachment("c2", "172.20.9.20")],
        };

        ImportResponse response = await ImportedAsync(agent, request);

        Assert.True(response.DryRun);
        Assert.Equal([("imported-v4", "would-create")], response.Pools.Select(p => (p.Name, p.Outcome)));
        Assert.Equal([("v4", ImportOutcomes.WouldImport), ("imported-v4", ImportOutcomes.WouldImport)], response.Results.Select(r => (r.Pool, r.Outcome)));
        Assert.Empty(await agent.AllocationsAsync());
        Assert.Equal(["v4"], (await Task.Run(() => agent.Client.ListPools())).Value!.Select(p => p.Pool.Name));
    }

    [Fact]
    public async Task Pools_asked_for_are_created_as_pool_create_creates_them_and_one_that_breaks_a_rule_refuses_the_whole_import()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        ImportRequest overlapping = Request([PoolDefinitions.V4("fresh", "172.20.2.0/24", gateway: "172.20.2.1"), PoolDefinitions.V4("clash", ranges: ["172.20.1.50-172.20.1.60"])], Attachment("c1", "172.20.2.20"));
        ImportRequest sound = Request([PoolDefinitions.V4("fresh", "172.20.2.0/24", gateway: "172.20.2.1")], Attachment("c1", "172.20.2.20"));

        ApiResult<ImportResponse> refused = await agent.ImportAsync(overlapping);
        ImportResponse created = await ImportedAsync(agent, sound);
        ImportResponse again = await ImportedAsync(agent, sound);

        Assert.Equal(("pool-overlap", 409), (refused.Problem?.Type, refused.Problem?.Status));
        Assert.Contains("pool 'clash' and pool 'v4' would both hand out 172.20.1.50", refused.Problem!.Detail, StringComparison.Ordinal);
        Assert.Equal([("fresh", "created")], created.Pools.Select(p => (p.Name, p.Outcome)));
        Assert.Equal(("fresh", ImportOutcomes.Imported), (created.Results[0].Pool, created.Results[0].Outcome));
        Assert.Equal([("fresh", "exists")], again.Pools.Select(p => (p.Name, p.Outcome)));
        Assert.Equal(ImportOutcomes.AlreadyHeld, again.Results[0].Outcome);
    }

    [Fact]
    public async Task An_attachment_imported_under_its_pod_is_released_by_that_pods_DEL_and_never_by_CNI_GC()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        ImportAttachment byPod = new()
        {
            IfName = "eth0", Node = "node1", PodNamespace = "shop", PodName = "web-1", PodUid = "0f8b6a8e-uid",
            Addresses = [new ImportAddress { Address = "172.20.1.30" }],
        };
        await ImportedAsync(agent, Request(byPod));

        ApiResult<CniGcResponse> gc = await Task.Run(() => agent.Client.Gc(new CniGcRequest { Network = Network }));
        ApiResult<CniDelResponse> otherPod = await Task.Run(() => agent.Client.Del(new CniDelRequest
        {
            Attachment = new AttachmentIdentity { Network = Network, ContainerId = "sandbox-9", IfName = "eth0", PodUid = "another-uid" },
        }));
        IReadOnlyList<AllocationView> afterOther = await agent.AllocationsAsync();
        ApiResult<CniDelResponse> del = await Task.Run(() => agent.Client.Del(new CniDelRequest
        {
            Attachment = new AttachmentIdentity { Network = Network, ContainerId = "sandbox-1", IfName = "eth0", PodUid = "0f8b6a8e-uid" },
        }));

        Assert.Empty(gc.Value!.Released);
        Assert.Empty(otherPod.Value!.Released);
        Assert.Equal([("172.20.1.30", "pod:0f8b6a8e-uid")], afterOther.Select(a => (a.Address, a.ContainerId)));
        Assert.Equal(["172.20.1.30/24"], del.Value!.Released.Select(r => r.Address));
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task Attachments_of_no_known_node_are_filed_under_imported_which_no_gc_touches_and_node_forget_releases_at_once()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));
        ImportAttachment NoNode(string container, string address) => new()
        {
            ContainerId = container, IfName = "net1", Addresses = [new ImportAddress { Address = address }],
        };
        await ImportedAsync(agent, Request(NoNode("w1", "172.20.1.40"), NoNode("w2", "172.20.1.41")));

        ApiResult<CniGcResponse> gc = await Task.Run(() => agent.Client.Gc(new CniGcRequest { Network = Network }));
        IReadOnlyList<AllocationView> filed = await agent.AllocationsAsync();
        ApiResult<NodeForgetResponse> forgotten = await Task.Run(() => agent.Client.ForgetNode("~imported"));

        Assert.Empty(gc.Value!.Released);
        Assert.Equal(["~imported", "~imported"], filed.Select(a => a.Node));
        Assert.Equal(2, forgotten.Value!.Released.Count);
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task An_address_filed_in_a_named_pool_must_be_one_that_pool_hands_out_and_reserved_addresses_are_never_filed()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4("low", ranges: ["172.20.1.10-172.20.1.49"]));
        await agent.CreatePoolAsync(PoolDefinitions.V4("high", ranges: ["172.20.1.50-172.20.1.99"]));
        Assert.True((await Task.Run(() => agent.Client.AddReserved(new ReservedChange { Addresses = ["172.20.1.55"] }))).IsSuccess);

        ImportResponse response = await ImportedAsync(agent, Request(
            InPool("named", "172.20.1.20", "low"),
            InPool("wrong", "172.20.1.60", "low"),
            Attachment("found", "172.20.1.61"),
            Attachment("reserved", "172.20.1.55")));

        Assert.Equal(
            [("low", ImportOutcomes.Imported), (null, ImportOutcomes.Skipped), ("high", ImportOutcomes.Imported), ("high", ImportOutcomes.Skipped)],
            response.Results.Select(r => (r.Pool, r.Outcome)));
        Assert.StartsWith("pool 'low' (172.20.1.0/24) does not hand it out", response.Results[1].Detail, StringComparison.Ordinal);
        Assert.StartsWith("reserved", response.Results[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_import_is_refused_whole_naming_the_attachment_and_files_nothing()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.99"]));

        ApiResult<ImportResponse> refused = await agent.ImportAsync(Request(
            Attachment("good", "172.20.1.20"),
            new ImportAttachment
            {
                ContainerId = "bad", IfName = "eth0", Origin = "ippool kube-system/172.20.1.0-24 allocation 300",
                Addresses = [new ImportAddress { Address = "172.20.1.300" }],
            },
            new ImportAttachment { IfName = "eth0", Addresses = [new ImportAddress { Address = "172.20.1.21" }] }));

        Assert.Equal(("invalid-request", 400), (refused.Problem?.Type, refused.Problem?.Status));
        Assert.Contains("attachments[1] (ippool kube-system/172.20.1.0-24 allocation 300): '172.20.1.300' is not an IPv4 or IPv6 address", refused.Problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("attachments[2]: needs a containerId, or a podUid", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await agent.AllocationsAsync());
    }

    [Fact]
    public async Task An_import_larger_than_the_other_routes_1_MiB_is_sent_and_filed_whole()
    {
        InProcessAgent agent = await StartAgentAsync("node1");
        await agent.CreatePoolAsync(PoolDefinitions.V4(subnet: "172.20.0.0/18", gateway: "172.20.0.1", ranges: ["172.20.1.0-172.20.30.255"]));
        // Container ids as runtimes write them (64 hex digits): 7,000 attachments are ~1.1 MB of JSON.
        ImportAttachment[] attachments = Enumerable.Range(0, 7000)
            .Select(i => Attachment($"{i:x8}{new string('c', 56)}", $"172.20.{1 + (i / 250)}.{1 + (i % 250)}"))
            .ToArray();
        ImportRequest request = Request(attachments);
        Assert.InRange(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.ImportRequest).Length, ApiLimits.MaxRequestBodyBytes + 1, ImportRequest.MaxBodyBytes);

        ImportResponse imported = await ImportedAsync(agent, request);

        Assert.Equal(7000, imported.Results.Count(r => r.Outcome == ImportOutcomes.Imported));
    }

    protected async Task<InProcessAgent> StartAgentAsync(string node)
    {
        InProcessAgent agent = await StartAgentOnStoreAsync(node);
        _agents.Add(agent);
        return agent;
    }

    protected static ImportRequest Request(params ImportAttachment[] attachments) => Request([], attachments);

    protected static ImportRequest Request(PoolDefinition[] createPools, params ImportAttachment[] attachments) =>
        new() { Source = "test", Network = Network, CreatePools = createPools, Attachments = attachments };

    protected static ImportAttachment InPool(string container, string address, string pool) => new()
    {
        ContainerId = container,
        IfName = "eth0",
        Node = "node1",
        Addresses = [new ImportAddress { Address = address, Pool = pool }],
    };

    protected static ImportAttachment Attachment(string container, params string[] addresses) => new()
    {
        ContainerId = container,
        IfName = "eth0",
        Node = "node1",
        Addresses = addresses.Select(a => new ImportAddress { Address = a }).ToList(),
    };

    protected static async Task<ImportResponse> ImportedAsync(InProcessAgent agent, ImportRequest request)
    {
        ApiResult<ImportResponse> result = await agent.ImportAsync(request);
        Assert.True(result.IsSuccess, result.Problem?.Detail);
        return result.Value;
    }
}

public sealed class EmbeddedImportTests : ImportTests, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override Task<InProcessAgent> StartAgentOnStoreAsync(string node) => InProcessAgent.StartAsync(_dir.Path, node);
}

public sealed class EtcdImportTests(EtcdImportTests.SharedEtcd etcd) : ImportTests, IClassFixture<EtcdImportTests.SharedEtcd>
{
    private readonly string _prefix = $"/upl-import-{Guid.NewGuid():N}";

    protected override Task<InProcessAgent> StartAgentOnStoreAsync(string node) => InProcessAgent.StartOnEtcdAsync(etcd.Cluster.ClientUrls, _prefix, node);

    /// <summary>One single-member etcd for every test of the class; each test has its own prefix.</summary>
    public sealed class SharedEtcd : IAsyncLifetime
    {
        public EtcdCluster Cluster { get; private set; } = null!; // Set in InitializeAsync, before any test runs.

        public async Task InitializeAsync() => Cluster = await EtcdCluster.StartAsync(1);

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }
}
