using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Contract;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Etcd.Tests;

/// <summary>Concurrent commits of one store sharing an etcd transaction (<see cref="GroupCommit"/>): held in the queue
/// by the test hook, so each test knows which commits went together.</summary>
[Collection(SharedEtcdGroup.Name)]
public sealed class GroupCommitTests(SharedEtcd etcd) : IAsyncLifetime
{
    private readonly string _prefix = $"/underpool-test-{Guid.NewGuid():N}";
    private EtcdIpamStore _store = null!; // Set in InitializeAsync.
    private PoolSpec _pool = null!;

    private static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = etcd.Cluster.ClientUrls, Prefix = _prefix });
        await _store.InitializeAsync(None);
        PoolSpec pool = SamplePools.Minimal("group", "10.60.0.0/24");
        Assert.Equal(PoolCreateStatus.Created, await _store.CreatePoolAsync(pool, (await _store.ListPoolsAsync(None)).Revision, None));
        _pool = await _store.GetPoolAsync(pool.Name, None) ?? throw new InvalidOperationException("created pool not found");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await etcd.Cluster.DeletePrefixAsync(_prefix);
    }

    [Fact]
    public async Task Commits_queued_together_land_in_one_transaction()
    {
        AllocationRecord[] records = [.. Enumerable.Range(1, 5).Select(n => Record(_pool, $"10.60.0.{n}", Attachment($"c{n}")))];

        CommitOutcome[] outcomes = await CommittedTogetherAsync(records.Select(r => (IReadOnlyList<AllocationRecord>)[r]));

        Assert.All(outcomes, o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.Equal(1, _store.Group.GroupsSent);
        StoreAssert.SameRecords(records, await _store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task A_collision_in_a_group_fails_only_its_own_commit_which_writes_nothing()
    {
        AllocationRecord holder = Record(_pool, "10.60.0.7", Attachment("holder"));
        Assert.Equal(CommitStatus.Committed, (await _store.TryCommitAsync([holder], None)).Status);
        AllocationRecord first = Record(_pool, "10.60.0.1", Attachment("c1"));
        AllocationRecord colliding = Record(_pool, "10.60.0.7", Attachment("c2"));
        AllocationRecord last = Record(_pool, "10.60.0.3", Attachment("c3"));

        CommitOutcome[] outcomes = await CommittedTogetherAsync([[first], [colliding], [last]]);

        Assert.Equal([CommitStatus.Committed, CommitStatus.AddressTaken, CommitStatus.Committed], outcomes.Select(o => o.Status));
        Assert.Equal([(_pool.Name, IpAddress.Parse("10.60.0.7"))], outcomes[1].Taken);
        Assert.Empty(await _store.GetAttachmentAsync(Attachment("c2"), None));
        StoreAssert.SameRecords([holder, first, last], await _store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task A_commit_of_an_address_reserved_meanwhile_in_a_group_is_stale_and_the_others_land()
    {
        await _store.AddReservedAsync([IpAddress.Parse("10.60.0.2")], None);
        AllocationRecord free = Record(_pool, "10.60.0.1", Attachment("c1"));
        AllocationRecord reserved = Record(_pool, "10.60.0.2", Attachment("c2"));
        AllocationRecord last = Record(_pool, "10.60.0.3", Attachment("c3"));

        CommitOutcome[] outcomes = await CommittedTogetherAsync([[free], [reserved], [last]]);

        Assert.Equal([CommitStatus.Committed, CommitStatus.Stale, CommitStatus.Committed], outcomes.Select(o => o.Status));
        StoreAssert.SameRecords([free, last], await _store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Two_queued_commits_of_one_attachment_commit_it_once_and_the_other_sees_the_winner()
    {
        AllocationRecord winner = Record(_pool, "10.60.0.1", Attachment("c1"));
        AllocationRecord repeat = Record(_pool, "10.60.0.2", Attachment("c1"));
        AllocationRecord other = Record(_pool, "10.60.0.3", Attachment("c3"));

        CommitOutcome[] outcomes = await CommittedTogetherAsync([[winner], [repeat], [other]]);

        Assert.Equal([CommitStatus.Committed, CommitStatus.AttachmentExists, CommitStatus.Committed], outcomes.Select(o => o.Status));
        StoreAssert.SameRecords([winner], outcomes[1].Existing);
        StoreAssert.SameRecords([winner, other], await _store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task A_queued_commit_whose_caller_gave_up_is_cancelled_and_writes_nothing()
    {
        using var gaveUp = new CancellationTokenSource();
        AllocationRecord kept = Record(_pool, "10.60.0.1", Attachment("c1"));
        AllocationRecord dropped = Record(_pool, "10.60.0.2", Attachment("c2"));
        _store.Group.Hold();
        Task<CommitOutcome> keptCommit = _store.TryCommitAsync([kept], None);
        Task<CommitOutcome> droppedCommit = _store.TryCommitAsync([dropped], gaveUp.Token);
        await gaveUp.CancelAsync();
        _store.Group.Release();

        Assert.Equal(CommitStatus.Committed, (await keptCommit).Status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => droppedCommit);
        StoreAssert.SameRecords([kept], await _store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    /// <summary>Queues every commit while the store holds its queue, then lets them go at once.</summary>
    private async Task<CommitOutcome[]> CommittedTogetherAsync(IEnumerable<IReadOnlyList<AllocationRecord>> commits)
    {
        _store.Group.Hold();
        Task<CommitOutcome>[] pending;
        try
        {
            pending = [.. commits.Select(c => _store.TryCommitAsync(c, None))];
        }
        finally
        {
            _store.Group.Release();
        }

        return await Task.WhenAll(pending);
    }
}
