using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Probe.Wire;
using Underpool.Store;
using Underpool.Store.Embedded;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>What a probe answer means is settled against the store and our known MACs before anything is quarantined:
/// another prober trying the same candidate, a stale pick of an allocated address, and an answer from one of our own
/// nodes or pods are set aside without quarantine; only a foreign host's answer for a free address is a conflict.</summary>
public sealed class ConflictSettlementTests : IAsyncLifetime
{
    private static readonly MacAddress OtherNodeUplink = new(0x0200_0000_0a02);
    private static readonly MacAddress PodInterface = new(0x0a58_0a14_0164);

    private readonly TempDir _dir = new();
    private readonly FakeProber _segment = new();
    private InProcessAgent _agent = null!; // set in InitializeAsync, which xunit runs before every test
    private SqliteIpamStore _store = null!; // the same file, as another agent on this host sees it

    public async Task InitializeAsync()
    {
        _agent = await InProcessAgent.StartAsync(_dir.Path, prober: _segment);
        _store = new SqliteIpamStore(_dir.Path);
        await _store.InitializeAsync(CancellationToken.None);
        await _agent.CreatePoolAsync(PoolDefinitions.V4(ranges: ["172.20.1.10-172.20.1.20"]));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _agent.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_candidate_another_agent_is_probing_at_the_same_moment_is_given_back_and_not_quarantined()
    {
        _segment.Contend(OtherNodeUplink, "172.20.1.10");

        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        // The view jumps elsewhere and may come round to .10 again: each probe of it is one more contended answer.
        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.NotEqual("172.20.1.10/24", add.Value.Ips[0].Address);
        Assert.Empty((await ConflictsAsync()).Conflicts);
        Assert.Equal(_segment.Probed.Count(a => a == "172.20.1.10"), Settled("contended"));
        Assert.Equal(0, Counted("underpool_conflicts_total"));
    }

    [Fact]
    public async Task A_candidate_another_agent_committed_during_the_probe_is_a_stale_pick_marked_used_and_not_quarantined()
    {
        // The real race: this agent's view was current when it picked .10; during its probe another agent commits .10
        // and that agent's pod answers.
        _segment.WhileProbing = async address =>
        {
            if (address == IpAddress.Parse("172.20.1.10") && await _store.GetAllocationAsync("v4", address, CancellationToken.None) is null)
            {
                await CommitElsewhereAsync("172.20.1.10", "node2");
                _segment.HoldBy(PodInterface, "172.20.1.10");
            }
        };

        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        // The view jumps elsewhere (another agent is allocating right there), so which address comes next is not fixed.
        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.NotEqual("172.20.1.10/24", add.Value.Ips[0].Address);
        Assert.Empty((await ConflictsAsync()).Conflicts);
        Assert.Equal(1, Settled("stale"));
        Assert.Equal(2, _segment.Probed.Count());
    }

    [Fact]
    public async Task An_answer_from_another_nodes_uplink_for_a_free_address_is_skipped_not_quarantined()
    {
        await _store.HeartbeatNodeAsync("node2", new Dictionary<string, string>(), [OtherNodeUplink.ToString()], TimeSpan.FromMinutes(5), CancellationToken.None);
        _segment.HoldBy(OtherNodeUplink, "172.20.1.10");

        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("172.20.1.11/24", add.Value.Ips[0].Address);
        Assert.Empty((await ConflictsAsync()).Conflicts);
        Assert.Equal(1, Settled("node"));
    }

    [Fact]
    public async Task An_answer_from_a_pod_whose_mac_check_recorded_is_skipped_not_quarantined()
    {
        ApiResult<CniAddResponse> pod = await _agent.AddAsync("pod0", v4: ["v4"]);
        Assert.True(pod.IsSuccess, pod.Problem?.Detail);
        Assert.True(Check("pod0", "0A:58:0A:14:01:64").IsSuccess);
        Assert.Equal(PodInterface.ToString(), (await _store.ListAllocationsAsync(AllocationFilter.All, CancellationToken.None)).Single().Mac);

        // The pod also answers for an address the store shows free (one it was never given, or a pod going away).
        _segment.HoldBy(PodInterface, "172.20.1.11");
        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("172.20.1.12/24", add.Value.Ips[0].Address);
        Assert.Empty((await ConflictsAsync()).Conflicts);
        Assert.Equal(1, Settled("pod"));
    }

    [Fact]
    public async Task Only_an_unknown_mac_answering_for_a_free_address_is_quarantined()
    {
        await _store.HeartbeatNodeAsync("node2", new Dictionary<string, string>(), [OtherNodeUplink.ToString()], TimeSpan.FromMinutes(5), CancellationToken.None);
        _segment.HoldBy(OtherNodeUplink, "172.20.1.10");
        _segment.Hold("172.20.1.11");

        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        Assert.True(add.IsSuccess, add.Problem?.Detail);
        Assert.Equal("172.20.1.12/24", add.Value.Ips[0].Address);
        ConflictView conflict = Assert.Single((await ConflictsAsync()).Conflicts);
        Assert.Equal(("172.20.1.11", FakeProber.LegacyMac.ToString(), ConflictView.Foreign), (conflict.Address, conflict.Mac, conflict.AnsweredBy));
        Assert.Equal(1, Counted("underpool_conflicts_total"));
    }

    [Fact]
    public async Task When_every_candidate_is_being_tried_by_others_the_add_fails_with_try_again_and_quarantines_nothing()
    {
        _segment.Contend(OtherNodeUplink, Enumerable.Range(10, 11).Select(i => $"172.20.1.{i}").ToArray());

        ApiResult<CniAddResponse> add = await _agent.AddAsync("c1", v4: ["v4"]);

        Assert.Equal(("contention", 11), (add.Problem?.Type, add.Problem?.CniCode));
        Assert.Empty(await _agent.AllocationsAsync());
        Assert.Empty((await ConflictsAsync()).Conflicts);
    }

    [Fact]
    public async Task A_requested_address_another_agent_is_probing_fails_with_try_again_and_is_not_quarantined()
    {
        _segment.Contend(OtherNodeUplink, "172.20.1.15");

        ApiResult<CniAddResponse> add = await Task.Run(() => _agent.Client.Add(new CniAddRequest
        {
            Attachment = InProcessAgent.Attachment("c1"),
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            RequestedIps = ["172.20.1.15"],
        }));

        Assert.Equal(("contention", 11), (add.Problem?.Type, add.Problem?.CniCode));
        Assert.Contains("172.20.1.15 is being probed", add.Problem!.Detail, StringComparison.Ordinal);
        Assert.Empty((await ConflictsAsync()).Conflicts);
    }

    [Fact]
    public async Task The_agent_records_the_mac_of_the_uplink_it_probes_on_in_its_node_record()
    {
        Assert.True((await _agent.AddAsync("c1", v4: ["v4"])).IsSuccess);

        await Condition.WaitUntilAsync(
            async ct => (await _store.ListNodesAsync(ct)).Single(n => n.Name == "node1").UplinkMacs.SequenceEqual([_segment.UplinkMac.ToString()]),
            TimeSpan.FromSeconds(20),
            "node1's record to list its uplink MAC");
    }

    [Fact]
    public async Task The_conflict_list_says_whether_the_answering_mac_is_one_of_our_nodes_or_pods_or_foreign()
    {
        await QuarantineAsync("172.20.1.10", FakeProber.LegacyMac.ToString());
        await QuarantineAsync("172.20.1.11", OtherNodeUplink.ToString());
        await QuarantineAsync("172.20.1.12", PodInterface.ToString());
        await _store.HeartbeatNodeAsync("node2", new Dictionary<string, string>(), [OtherNodeUplink.ToString()], TimeSpan.FromMinutes(5), CancellationToken.None);
        await CommitElsewhereAsync("172.20.1.20", "node2", PodInterface.ToString());

        ConflictList list = await ConflictsAsync();

        Assert.Equal(
            [("172.20.1.10", "foreign", null), ("172.20.1.11", "node", "node2"), ("172.20.1.12", "pod", "shop/web-other")],
            list.Conflicts.Select(c => (c.Address, c.AnsweredBy, c.Owner)));
    }

    [Fact]
    public async Task Rechecking_frees_addresses_quarantined_because_of_our_own_nodes_pods_or_allocations_and_keeps_foreign_ones()
    {
        await _store.HeartbeatNodeAsync("node2", new Dictionary<string, string>(), [OtherNodeUplink.ToString()], TimeSpan.FromMinutes(5), CancellationToken.None);
        await CommitElsewhereAsync("172.20.1.19", "node2");
        await QuarantineAsync("172.20.1.10", FakeProber.LegacyMac.ToString());
        await QuarantineAsync("172.20.1.11", OtherNodeUplink.ToString());
        await QuarantineAsync("172.20.1.19", PodInterface.ToString());
        _segment.Hold("172.20.1.10");

        ApiResult<ConflictView> clear = await Task.Run(() => _agent.Client.ClearConflict(new ConflictClear { Address = "172.20.1.11" }));
        await Recheck().RecheckAsync(CancellationToken.None);

        // Clearing .11 probed the uplink, and learning its MAC frees ours in the background too: either pass may win.
        Assert.True(clear.IsSuccess, clear.Problem?.Detail);
        Assert.Equal(ConflictView.OurNode, clear.Value.AnsweredBy);
        await Condition.WaitUntilAsync(
            async _ => (await ConflictsAsync()).Conflicts.Select(c => c.Address).SequenceEqual(["172.20.1.10"]),
            TimeSpan.FromSeconds(20),
            "only the foreign host's address to stay quarantined");
    }

    [Fact]
    public async Task A_check_that_reports_a_pods_mac_frees_what_that_pod_answered_for()
    {
        ApiResult<CniAddResponse> pod = await _agent.AddAsync("pod0", v4: ["v4"]);
        Assert.True(pod.IsSuccess, pod.Problem?.Detail);
        await QuarantineAsync("172.20.1.15", PodInterface.ToString());

        Assert.True(Check("pod0", PodInterface.ToString()).IsSuccess);

        Assert.Empty((await ConflictsAsync()).Conflicts);
        ApiResult<CniAddResponse> requested = await Task.Run(() => _agent.Client.Add(new CniAddRequest
        {
            Attachment = InProcessAgent.Attachment("c1"),
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            RequestedIps = ["172.20.1.15"],
        }));
        Assert.True(requested.IsSuccess, requested.Problem?.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-mac")]
    [InlineData("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33")]
    public async Task A_check_without_an_ethernet_mac_records_none_and_still_answers(string? mac)
    {
        Assert.True((await _agent.AddAsync("pod0", v4: ["v4"])).IsSuccess);

        ApiResult<CniCheckResponse> check = Check("pod0", mac);

        Assert.True(check.IsSuccess, check.Problem?.Detail);
        Assert.Null((await _store.ListAllocationsAsync(AllocationFilter.All, CancellationToken.None)).Single().Mac);
    }

    private ApiResult<CniCheckResponse> Check(string container, string? mac) =>
        _agent.Client.Check(new CniCheckRequest { Attachment = InProcessAgent.Attachment(container), Mac = mac });

    private Conflicts.QuarantineService Recheck() =>
        (Conflicts.QuarantineService)_agent.Services.GetService(typeof(Conflicts.QuarantineService))!;

    /// <summary>Another agent's allocation of <paramref name="address"/>, straight into the shared store.</summary>
    private async Task CommitElsewhereAsync(string address, string node, string? mac = null)
    {
        var pool = (await _store.GetPoolAsync("v4", CancellationToken.None))!;
        var key = new AttachmentKey("net1", $"other-{address}", "eth0");
        CommitOutcome outcome = await _store.TryCommitAsync(
            [new AllocationRecord
            {
                Pool = "v4", PoolGeneration = pool.Generation, Address = IpAddress.Parse(address), Attachment = key, Node = node,
                PodNamespace = "shop", PodName = "web-other", CreatedAt = DateTimeOffset.UtcNow, Mac = mac,
            }],
            CancellationToken.None);
        Assert.Equal(CommitStatus.Committed, outcome.Status);
    }

    private Task<bool> QuarantineAsync(string address, string mac) => _store.QuarantineAsync(
        new QuarantineRecord
        {
            Address = IpAddress.Parse(address), Pool = "v4", Mac = mac, Node = "node1", Interface = "fake0", DetectedAt = DateTimeOffset.UtcNow,
        },
        CancellationToken.None);

    private Task<ConflictList> ConflictsAsync() => Task.Run(() =>
    {
        ApiResult<ConflictList> list = _agent.Client.ListConflicts();
        Assert.True(list.IsSuccess, list.Problem?.Detail);
        return list.Value;
    });

    private double Settled(string reason) => Counted("underpool_probe_settled_total", $"reason=\"{reason}\"");

    private double Counted(string metric, string? label = null) =>
        _agent.Client.GetMetricsText().Value!.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
