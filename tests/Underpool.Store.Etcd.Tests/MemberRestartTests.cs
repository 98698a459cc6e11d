using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Contract;
using Xunit.Abstractions;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Etcd.Tests;

/// <summary>Stores riding out a crash of their etcd: a member of their own, SIGKILLed and started again.</summary>
public sealed class MemberRestartTests(ITestOutputHelper output) : OwnClusterTests(1, output)
{
    [Fact]
    public async Task The_change_feed_resumes_after_its_etcd_is_killed_and_restarted_losing_and_repeating_nothing()
    {
        var options = new EtcdStoreOptions { Endpoints = Cluster.ClientUrls, Prefix = "/underpool-restart" };
        await using var writer = new EtcdIpamStore(options);
        await using var reader = new EtcdIpamStore(options);
        await writer.InitializeAsync(CancellationToken.None);
        await reader.InitializeAsync(CancellationToken.None);
        PoolSpec pool = SamplePools.Minimal("p", "10.60.0.0/24");
        Assert.Equal(PoolCreateStatus.Created, await writer.CreatePoolAsync(pool, 0, CancellationToken.None));
        pool = await writer.GetPoolAsync("p", CancellationToken.None) ?? throw new InvalidOperationException("pool not found");
        long start = await writer.CurrentRevisionAsync(CancellationToken.None);
        for (int n = 1; n <= 5; n++)
        {
            await CommitAsync(writer, Record(pool, $"10.60.0.{n}", Attachment($"c{n}")));
        }

        await Cluster.KillAsync(0);
        await Cluster.RestartAsync(0);
        for (int n = 6; n <= 10; n++)
        {
            await CommitAsync(writer, Record(pool, $"10.60.0.{n}", Attachment($"c{n}")));
        }

        List<StoreChange> changes = await EtcdStoreTests.JournalUpToCurrentAsync(reader, start);

        Assert.Equal(
            Enumerable.Range(1, 10).Select(n => (StoreChangeKind.AllocationAdded, (IpAddress?)IpAddress.Parse($"10.60.0.{n}"))),
            changes.Select(c => (c.Kind, c.Address)));
    }

    /// <summary>Commits, retrying while the restarted member is not answering yet (a retry after an unknown outcome
    /// finds its own records, which counts as committed).</summary>
    private static async Task CommitAsync(EtcdIpamStore store, AllocationRecord record)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                CommitOutcome outcome = await store.TryCommitAsync([record], CancellationToken.None);
                Assert.True(
                    outcome.Status == CommitStatus.Committed || (outcome.Status == CommitStatus.AttachmentExists && outcome.Existing.SequenceEqual([record])),
                    $"committing {record.Address}: {outcome.Status}");
                return;
            }
            catch (StoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
