using Underpool.Core.Pools;
using Underpool.Store.Contract;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Etcd.Tests;

/// <summary>etcd-specific behaviour on the shared member: what the contract cannot ask of every backend.</summary>
[Collection(SharedEtcdGroup.Name)]
public sealed class EtcdStoreTests(SharedEtcd etcd) : IAsyncLifetime
{
    private readonly string _prefix = $"/underpool-test-{Guid.NewGuid():N}";
    private readonly List<EtcdIpamStore> _stores = [];

    private static CancellationToken None => CancellationToken.None;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (EtcdIpamStore store in _stores)
        {
            await store.DisposeAsync();
        }

        await etcd.Cluster.DeletePrefixAsync(_prefix);
    }

    [Fact]
    public async Task Force_deleting_a_pool_with_more_allocations_than_one_transaction_holds_releases_them_all()
    {
        EtcdIpamStore store = await OpenAsync();
        PoolSpec pool = await CreatePoolAsync(store, SamplePools.Minimal("big", "10.50.0.0/16"));
        const int count = 300;
        for (int n = 0; n < count; n++)
        {
            AllocationRecord record = Record(pool, $"10.50.{n / 200}.{(n % 200) + 1}", Attachment($"c{n}"));
            Assert.Equal(CommitStatus.Committed, (await store.TryCommitAsync([record], None)).Status);
        }

        long revision = await store.CurrentRevisionAsync(None);

        PoolDeleteOutcome outcome = await store.DeletePoolAsync("big", force: true, None);

        Assert.Equal(new PoolDeleteOutcome(PoolDeleteStatus.Deleted, count), outcome);
        Assert.Null(await store.GetPoolAsync("big", None));
        Assert.Empty(await store.ListAllocationsAsync(AllocationFilter.All, None));
        List<StoreChange> changes = await JournalUpToCurrentAsync(store, revision);
        Assert.Equal(count, changes.Count(c => c.Kind == StoreChangeKind.AllocationRemoved));
        Assert.Equal(StoreChangeKind.PoolsChanged, changes[^1].Kind);
    }

    [Fact]
    public async Task A_reader_whose_watch_missed_a_compacted_stretch_of_history_is_told_to_reset()
    {
        EtcdIpamStore reader = await OpenAsync();
        EtcdIpamStore writer = await OpenAsync();
        PoolSpec pool = await CreatePoolAsync(writer, SamplePools.V4());
        long seen = (await JournalUpToCurrentAsync(reader, 0))[^1].Revision;

        // The reader's watch is down while the writer commits and etcd compacts: an outage longer than the history kept.
        // Two commits: etcd keeps the compaction revision itself, so only the first one's revision becomes unreachable.
        await reader.Feed.SuspendAsync();
        await writer.TryCommitAsync([Record(pool, "172.20.1.10")], None);
        await writer.TryCommitAsync([Record(pool, "172.20.1.12", Attachment("c3"))], None);
        await etcd.Cluster.CompactAsync();
        reader.Feed.Resume();

        StoreChangeBatch batch = await PollAsync(() => reader.ReadChangesAsync(seen, None), b => b.ResetRequired);
        Assert.True(batch.ResetRequired);

        // After priming again from the current revision the reader follows new writes.
        long primed = await reader.CurrentRevisionAsync(None);
        await writer.TryCommitAsync([Record(pool, "172.20.1.11", Attachment("c2"))], None);
        List<StoreChange> after = await JournalUpToCurrentAsync(reader, primed);
        Assert.Equal([(StoreChangeKind.AllocationAdded, "172.20.1.11")], after.Select(c => (c.Kind, c.Address?.ToString())));
    }

    [Fact]
    public async Task The_store_revision_ignores_writes_under_other_prefixes()
    {
        EtcdIpamStore mine = await OpenAsync();
        await using var other = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = etcd.Cluster.ClientUrls, Prefix = _prefix + "-other" });
        await other.InitializeAsync(None);
        await CreatePoolAsync(mine, SamplePools.V4());
        long revision = await mine.CurrentRevisionAsync(None);

        try
        {
            await CreatePoolAsync(other, SamplePools.V4());

            Assert.Equal(revision, await mine.CurrentRevisionAsync(None));
            StoreChangeBatch batch = await mine.ReadChangesAsync(revision, None);
            Assert.Equal((false, 0, revision), (batch.ResetRequired, batch.Changes.Count, batch.Revision));
        }
        finally
        {
            await etcd.Cluster.DeletePrefixAsync(_prefix + "-other");
        }
    }

    private async Task<EtcdIpamStore> OpenAsync()
    {
        var store = new EtcdIpamStore(new EtcdStoreOptions { Endpoints = etcd.Cluster.ClientUrls, Prefix = _prefix });
        _stores.Add(store);
        await store.InitializeAsync(None);
        return store;
    }

    private static async Task<PoolSpec> CreatePoolAsync(EtcdIpamStore store, PoolSpec pool)
    {
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(pool, (await store.ListPoolsAsync(None)).Revision, None));
        return await store.GetPoolAsync(pool.Name, None) ?? throw new InvalidOperationException("created pool not found");
    }

    /// <summary>Every change after <paramref name="revision"/> until the journal reaches the store's current revision.</summary>
    internal static async Task<List<StoreChange>> JournalUpToCurrentAsync(EtcdIpamStore store, long revision)
    {
        long target = await store.CurrentRevisionAsync(None);
        var changes = new List<StoreChange>();
        while (revision < target)
        {
            StoreChangeBatch batch = await PollAsync(() => store.ReadChangesAsync(revision, None), b => b.Changes.Count > 0 || b.ResetRequired);
            Assert.False(batch.ResetRequired);
            changes.AddRange(batch.Changes);
            revision = batch.Revision;
        }

        return changes;
    }

    /// <summary>Calls <paramref name="read"/> until <paramref name="done"/> or 10 s have passed; returns the last answer.</summary>
    internal static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        T value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            value = await read();
        }

        return value;
    }
}
