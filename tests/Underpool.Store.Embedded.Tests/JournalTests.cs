using Underpool.Core.Net;

namespace Underpool.Store.Embedded.Tests;

/// <summary>The SQLite journal keeps only its newest rows: a reader that fell behind the pruned history must reset.</summary>
public sealed class JournalTests : StoreFixture
{
    // Keep 3, prune every 5: after 10 changes, revisions 1-7 are gone and 8-10 remain.
    private const int Keep = 3;
    private const int PruneEvery = 5;

    [Fact]
    public async Task Reading_changes_from_before_the_pruned_history_requires_a_reset()
    {
        SqliteIpamStore store = await OpenWithTenChangesAsync();

        StoreChangeBatch batch = await store.ReadChangesAsync(6, None);

        Assert.Equal((true, 0, 10L), (batch.ResetRequired, batch.Changes.Count, batch.Revision));
    }

    [Fact]
    public async Task Reading_changes_from_the_edge_of_the_kept_history_returns_them()
    {
        SqliteIpamStore store = await OpenWithTenChangesAsync();

        StoreChangeBatch batch = await store.ReadChangesAsync(7, None);

        Assert.False(batch.ResetRequired);
        Assert.Equal([8L, 9L, 10L], batch.Changes.Select(c => c.Revision));
    }

    [Fact]
    public async Task Pruning_keeps_the_current_revision()
    {
        SqliteIpamStore store = await OpenWithTenChangesAsync();

        Assert.Equal(10, await store.CurrentRevisionAsync(None));
        Assert.Equal(Keep, ScalarLong("SELECT COUNT(*) FROM changes"));
    }

    /// <summary>A store with a tiny journal and ten reserved-address changes, one revision each.</summary>
    private async Task<SqliteIpamStore> OpenWithTenChangesAsync()
    {
        SqliteIpamStore store = await OpenAsync(journalKeep: Keep, journalPruneEvery: PruneEvery);
        for (uint i = 1; i <= 10; i++)
        {
            await store.AddReservedAsync([IpAddress.V4(0x0A000000 + i)], None);
        }

        return store;
    }
}
