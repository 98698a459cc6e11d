using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Contract;
using Underpool.Testing;

namespace Underpool.Store.Embedded.Tests;

/// <summary>Space comes back by itself once writes pause: pages freed by releases go back to the file system, and the
/// write-ahead log is cut to nothing.</summary>
public sealed class SpaceReclaimTests : StoreFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Often = TimeSpan.FromMilliseconds(100);

    private string DatabaseFile => Path.Combine(DataDirectory, SqliteIpamStore.FileName);

    [Fact]
    public async Task Releasing_most_allocations_gives_their_pages_back_to_the_file_system()
    {
        SqliteIpamStore store = await OpenAsync(maintenanceInterval: Often);
        PoolSpec pool = await CreatePoolAsync(store);
        const int Count = 3_000;
        for (int i = 0; i < Count; i++)
        {
            await store.TryCommitAsync([Record(pool, i)], None);
        }

        long pagesWhenFull = ScalarLong("PRAGMA page_count");
        for (int i = 0; i < Count - 10; i++)
        {
            await store.ReleaseAttachmentAsync(SampleRecords.Attachment($"c{i}"), None);
        }

        // Before incremental auto-vacuum the file kept every page, 84 % of them free after a mass release.
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(ScalarLong("PRAGMA page_count") * 2 < pagesWhenFull && ScalarLong("PRAGMA freelist_count") * 10 < ScalarLong("PRAGMA page_count")),
            Deadline,
            $"the database of {pagesWhenFull} pages to shrink by half (what is left is mostly the change journal) with few free pages");
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(new FileInfo(DatabaseFile).Length < pagesWhenFull * 4096 / 2),
            Deadline,
            "the database file itself to shrink (its log checkpointed)");
        Assert.Equal(10, (await store.ListAllocationsAsync(AllocationFilter.All, None)).Count);
    }

    [Fact]
    public async Task An_idle_store_cuts_its_write_ahead_log_to_nothing()
    {
        SqliteIpamStore store = await OpenAsync(maintenanceInterval: Often);
        PoolSpec pool = await CreatePoolAsync(store);
        for (int i = 0; i < 50; i++)
        {
            await store.TryCommitAsync([Record(pool, i)], None);
        }

        Assert.True(new FileInfo(DatabaseFile + "-wal").Length > 0);
        await Condition.WaitUntilAsync(
            _ => Task.FromResult(new FileInfo(DatabaseFile + "-wal").Length == 0), Deadline, "the idle store's -wal file to be truncated");
    }

    private static async Task<PoolSpec> CreatePoolAsync(SqliteIpamStore store)
    {
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(SamplePools.Minimal("p", "10.90.0.0/16"), 0, None));
        return (await store.ListPoolsAsync(None)).Pools.Single();
    }

    private static AllocationRecord Record(PoolSpec pool, int i) =>
        SampleRecords.Record(pool, IpAddress.V4(0x0A5A0000 + (uint)i + 1).ToString(), SampleRecords.Attachment($"c{i}"));
}
