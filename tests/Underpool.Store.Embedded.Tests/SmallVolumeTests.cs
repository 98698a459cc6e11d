using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Contract;
using Underpool.Testing;

namespace Underpool.Store.Embedded.Tests;

/// <summary>The store on a real, small file system (a 512 KiB tmpfs): its write-ahead log must not take the volume,
/// and a full volume must show in its ping until space is freed.</summary>
public sealed class SmallVolumeTests : IDisposable
{
    private readonly TmpfsVolume _volume = TmpfsVolume.Mount("512k");

    [Fact]
    public async Task A_512_KiB_volume_takes_more_than_a_hundred_dual_stack_commits()
    {
        int committed;
        await using (SqliteIpamStore store = await OpenAsync())
        {
            (PoolSpec v4, PoolSpec v6) = await CreatePoolsAsync(store);
            committed = await CommitUntilRefusedAsync(store, v4, v6, limit: 2_000);
        }

        // Before the log was kept to the volume's free space it took 18: the 4 MiB default log filled the volume alone.
        Assert.True(committed > 100, $"only {committed} dual-stack commits fit; files: {Listing()}");
    }

    [Fact]
    public async Task Ping_reports_a_full_disk_until_a_write_goes_through_again()
    {
        await using SqliteIpamStore store = await OpenAsync();
        (PoolSpec v4, PoolSpec v6) = await CreatePoolsAsync(store);
        string filler = _volume.Fill();
        await CommitUntilRefusedAsync(store, v4, v6, limit: 2_000);

        StoreUnavailableException refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PingAsync(CancellationToken.None));
        Assert.Contains("disk full", refused.Message, StringComparison.Ordinal);
        Assert.Contains(store.DatabasePath, refused.Message, StringComparison.Ordinal);

        File.Delete(filler);
        await store.PingAsync(CancellationToken.None);
        Assert.Equal(CommitStatus.Committed, (await store.TryCommitAsync(DualStack(v4, v6, 9_999), CancellationToken.None)).Status);
    }

    public void Dispose() => _volume.Dispose();

    private async Task<SqliteIpamStore> OpenAsync()
    {
        var store = new SqliteIpamStore(_volume.Path);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private static async Task<(PoolSpec V4, PoolSpec V6)> CreatePoolsAsync(SqliteIpamStore store)
    {
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(SamplePools.Minimal("v4", "10.80.0.0/16"), 0, CancellationToken.None));
        PoolsSnapshot after = await store.ListPoolsAsync(CancellationToken.None);
        Assert.Equal(PoolCreateStatus.Created, await store.CreatePoolAsync(SamplePools.Minimal("v6", "fd00:80::/64"), after.Revision, CancellationToken.None));
        Dictionary<string, PoolSpec> pools = (await store.ListPoolsAsync(CancellationToken.None)).Pools.ToDictionary(p => p.Name);
        return (pools["v4"], pools["v6"]);
    }

    /// <summary>Commits dual-stack attachments until the store refuses one; returns how many went in.</summary>
    private static async Task<int> CommitUntilRefusedAsync(SqliteIpamStore store, PoolSpec v4, PoolSpec v6, int limit)
    {
        for (int i = 0; i < limit; i++)
        {
            try
            {
                CommitOutcome outcome = await store.TryCommitAsync(DualStack(v4, v6, i), CancellationToken.None);
                Assert.Equal(CommitStatus.Committed, outcome.Status);
            }
            catch (StoreUnavailableException e)
            {
                Assert.Contains("disk full", e.Message, StringComparison.Ordinal);
                return i;
            }
        }

        Assert.Fail($"{limit} dual-stack commits fit in 512 KiB: the volume never filled");
        return limit;
    }

    private static AllocationRecord[] DualStack(PoolSpec v4, PoolSpec v6, int i)
    {
        AttachmentKey attachment = SampleRecords.Attachment($"container-{i:D6}");
        return
        [
            SampleRecords.Record(v4, IpAddress.V4(0x0A500000 + (uint)i + 1).ToString(), attachment),
            SampleRecords.Record(v6, $"fd00:80::{i + 1:x}", attachment),
        ];
    }

    private string Listing() =>
        string.Join(", ", Directory.GetFiles(_volume.Path).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / 1024} KiB"));
}
