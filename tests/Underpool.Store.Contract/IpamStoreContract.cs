using Underpool.Core.Pools;

namespace Underpool.Store.Contract;

/// <summary>The behaviour every <see cref="IIpamStore"/> backend must have: a backend's test project derives one
/// sealed class from this and gets every test.</summary>
/// <remarks>The tests assert the contract (the interface's documentation), never a backend's details: no pool
/// revision or generation is assumed to have a particular value, and no listing a particular order. xunit makes a
/// new instance per test, so each test has its own backing data and its own stores.</remarks>
public abstract partial class IpamStoreContract : IAsyncLifetime
{
    private readonly List<IIpamStore> _opened = [];

    /// <summary>The store each test works on, opened before it.</summary>
    protected IIpamStore Store { get; private set; } = null!; // Set in InitializeAsync, before any test runs.

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>How long <see cref="ChangesAfterAsync"/> waits for the journal to reach the store's current revision.</summary>
    private static readonly TimeSpan JournalDeadline = TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        try
        {
            Store = await OpenAsync();
        }
        catch
        {
            // xunit does not dispose a test class whose initialisation failed: clean up here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (IIpamStore store in _opened)
            {
                await store.DisposeAsync();
            }
        }
        finally
        {
            _opened.Clear();
            await DeleteBackingAsync();
        }
    }

    /// <summary>A new store instance, initialised, on this test's backing data: every call within one test sees the
    /// same pools and allocations (a second agent sharing the store, or the same agent restarted). The first call in
    /// a test meets empty backing data that no other test shares. The fixture disposes what it returns.</summary>
    protected abstract Task<IIpamStore> OpenStoreAsync();

    /// <summary>Initialises a store a backend's <see cref="OpenStoreAsync"/> just made, disposing it if that fails (it was
    /// not handed to the fixture yet, so nobody else would).</summary>
    protected static async Task<IIpamStore> InitializedAsync(IIpamStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            await store.InitializeAsync(None);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Removes this test's backing data; runs after every store the test opened is disposed, pass or fail.</summary>
    protected abstract Task DeleteBackingAsync();

    /// <summary>Another store instance on the same backing data, disposed after the test.</summary>
    protected async Task<IIpamStore> OpenAsync()
    {
        IIpamStore store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    /// <summary>Disposes <paramref name="store"/> and opens another on the same backing data: an agent restarting.</summary>
    protected async Task<IIpamStore> ReopenAsync(IIpamStore store)
    {
        _opened.Remove(store);
        await store.DisposeAsync();
        return await OpenAsync();
    }

    /// <summary>Creates <paramref name="pool"/> against the current pools revision and returns it as stored (with the
    /// generation the store gave it, which the records picked from it must carry).</summary>
    protected async Task<PoolSpec> CreatePoolAsync(PoolSpec pool)
    {
        PoolsSnapshot snapshot = await Store.ListPoolsAsync(None);
        Assert.Equal(PoolCreateStatus.Created, await Store.CreatePoolAsync(pool, snapshot.Revision, None));
        PoolSpec? stored = await Store.GetPoolAsync(pool.Name, None);
        Assert.NotNull(stored);
        return stored;
    }

    protected async Task CommitAsync(params AllocationRecord[] records) =>
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync(records, None)).Status);

    /// <summary>Every change after <paramref name="revision"/> up to the store's current revision, over as many batches
    /// as the store cuts them into.</summary>
    /// <remarks>The journal is eventually complete: it reaches any revision the store has reported within the call
    /// deadline. A backend that follows a watch (etcd) may lag a write by a moment, so this reads the current revision
    /// first and keeps reading until the journal has reached it. The changes of one write may share its revision
    /// (etcd's are one transaction), so revisions only have to grow strictly past the one asked from, and never fall.</remarks>
    protected async Task<List<StoreChange>> ChangesAfterAsync(long revision, IIpamStore? store = null)
    {
        store ??= Store;
        long target = await store.CurrentRevisionAsync(None);
        DateTime deadline = DateTime.UtcNow + JournalDeadline;
        var changes = new List<StoreChange>();
        while (true)
        {
            StoreChangeBatch batch = await store.ReadChangesAsync(revision, None);
            Assert.False(batch.ResetRequired, $"reading the changes after revision {revision} asked for a reset");
            if (batch.Changes.Count == 0)
            {
                if (revision >= target)
                {
                    return changes;
                }

                // Polled, not slept on: each read returns at once, and the loop ends as soon as the journal has caught up.
                Assert.True(DateTime.UtcNow < deadline, $"the journal stayed at revision {revision} while the store reported {target}");
                await Task.Delay(10);
                continue;
            }

            long previous = revision;
            foreach (StoreChange change in batch.Changes)
            {
                Assert.True(change.Revision > revision, $"change at revision {change.Revision} came after reading from {revision}");
                Assert.True(change.Revision >= previous, $"change at revision {change.Revision} came after one at {previous}");
                previous = change.Revision;
                changes.Add(change);
            }

            Assert.True(batch.Revision >= previous, $"a batch ending at {previous} said its revision is {batch.Revision}");
            revision = batch.Revision;
        }
    }

    /// <summary>The changes after <paramref name="revision"/> as (kind, pool, address) in revision order.</summary>
    protected async Task<List<(StoreChangeKind Kind, string? Pool, string? Address)>> JournalAfterAsync(long revision, IIpamStore? store = null) =>
        (await ChangesAfterAsync(revision, store)).Select(c => (c.Kind, c.Pool, c.Address?.ToString())).ToList();

    /// <summary>A refused or empty write leaves no trace: the revision stands and no change follows it.</summary>
    protected async Task AssertNothingJournalledSinceAsync(long revision)
    {
        Assert.Equal(revision, await Store.CurrentRevisionAsync(None));
        Assert.Empty(await ChangesAfterAsync(revision));
    }

    /// <summary>Changes of one write in a fixed order: the contract orders writes, not the changes within one.</summary>
    protected static List<(StoreChangeKind Kind, string? Pool, string? Address)> InAnyOrder(IEnumerable<(StoreChangeKind Kind, string? Pool, string? Address)> changes) =>
        changes.OrderBy(c => c.Kind).ThenBy(c => c.Pool, StringComparer.Ordinal).ThenBy(c => c.Address, StringComparer.Ordinal).ToList();

    protected static (StoreChangeKind, string?, string?) Added(string pool, string address) => (StoreChangeKind.AllocationAdded, pool, address);

    protected static (StoreChangeKind, string?, string?) Removed(string pool, string address) => (StoreChangeKind.AllocationRemoved, pool, address);

    protected static (StoreChangeKind, string?, string?) PoolsChanged(string pool) => (StoreChangeKind.PoolsChanged, pool, null);
}
