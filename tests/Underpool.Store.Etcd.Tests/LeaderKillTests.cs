using System.Collections.Concurrent;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Store.Contract;
using Xunit.Abstractions;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Etcd.Tests;

/// <summary>A three-member cluster whose leader is SIGKILLed while 16 committers race through three stores.</summary>
public sealed class LeaderKillTests(ITestOutputHelper output) : OwnClusterTests(3, output)
{
    private const int Committers = 16;
    private const int CommitsEach = 24;

    [Fact]
    public async Task Commits_racing_a_leader_kill_are_all_or_nothing_and_every_one_reported_committed_is_held()
    {
        // One store per member, each starting at its own member and failing over to the others.
        EtcdIpamStore[] stores = Enumerable.Range(0, 3)
            .Select(i => new EtcdIpamStore(new EtcdStoreOptions
            {
                Endpoints = [.. Cluster.ClientUrls.Skip(i), .. Cluster.ClientUrls.Take(i)],
                Prefix = "/underpool-chaos",
            }))
            .ToArray();
        try
        {
            foreach (EtcdIpamStore store in stores)
            {
                await store.InitializeAsync(CancellationToken.None);
            }

            Assert.Equal(PoolCreateStatus.Created, await stores[0].CreatePoolAsync(SamplePools.Minimal("wide", "10.40.0.0/16"), 0, CancellationToken.None));
            PoolSpec pool = await stores[0].GetPoolAsync("wide", CancellationToken.None) ?? throw new InvalidOperationException("pool not found");
            var outcomes = new ConcurrentBag<(AllocationRecord Record, CommitOutcome? Outcome, StoreUnavailableException? Failure)>();
            var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            Task[] committers = Enumerable.Range(0, Committers).Select(c => Task.Run(async () =>
            {
                for (int n = 0; n < CommitsEach; n++)
                {
                    // Every third commit contests an address all committers want; the rest are the committer's own.
                    string address = n % 3 == 0 ? $"10.40.200.{n}" : $"10.40.{c}.{n}";
                    AllocationRecord record = Record(pool, address, Attachment($"c{c}-{n}"));
                    try
                    {
                        outcomes.Add((record, await stores[c % 3].TryCommitAsync([record], CancellationToken.None), null));
                    }
                    catch (StoreUnavailableException e)
                    {
                        outcomes.Add((record, null, e));
                    }

                    if (outcomes.Count >= Committers * CommitsEach / 3)
                    {
                        halfway.TrySetResult();
                    }
                }
            })).ToArray();

            await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
            int leader = await Cluster.LeaderAsync();
            await Cluster.KillAsync(leader);
            await Task.WhenAll(committers).WaitAsync(TimeSpan.FromSeconds(90));

            EtcdIpamStore survivor = stores[(leader + 1) % 3];
            IReadOnlyList<AllocationRecord> held = await EventuallyAsync(() => survivor.ListAllocationsAsync(AllocationFilter.All, CancellationToken.None));
            Output.WriteLine($"leader m{leader} killed; outcomes: " + string.Join(", ", outcomes
                .GroupBy(o => o.Outcome?.Status.ToString() ?? (o.Failure!.NothingChanged ? "unavailable" : "unknown"))
                .Select(g => $"{g.Key} {g.Count()}")));

            // A commit whose outcome stayed unknown (its read-back found no leader either) may or may not be there,
            // but all or nothing: it counts as committed exactly when its records are held.
            var committed = outcomes
                .Where(o => o.Outcome?.Status == CommitStatus.Committed || (o.Failure is { NothingChanged: false } && held.Contains(o.Record)))
                .Select(o => o.Record)
                .ToList();
            Assert.Equal(held.Count, held.Select(r => r.Address).Distinct().Count());
            Assert.All(held, h => Assert.True(
                committed.Contains(h),
                $"{h.Attachment} holds {h.Address}, but its commit reported " + string.Join(", ", outcomes
                    .Where(o => o.Record.Attachment == h.Attachment)
                    .Select(o => o.Failure?.Message ?? $"{o.Outcome!.Status} [{string.Join(' ', o.Outcome.Existing.Select(r => r.Address))}]"))));
            StoreAssert.SameRecords(committed, held);
            foreach ((AllocationRecord record, CommitOutcome? outcome, StoreUnavailableException? failure) in outcomes)
            {
                if (failure is { NothingChanged: true })
                {
                    Assert.DoesNotContain(held, h => h.Attachment == record.Attachment);
                }
                else if (outcome?.Status == CommitStatus.AddressTaken)
                {
                    // Reports what is there: the address is held, by another attachment.
                    (string _, IpAddress address) = Assert.Single(outcome.Taken);
                    Assert.Contains(held, h => h.Address == address && h.Attachment != record.Attachment);
                }
                else if (outcome is not null)
                {
                    Assert.Equal(CommitStatus.Committed, outcome.Status);
                }
            }
        }
        finally
        {
            foreach (EtcdIpamStore store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    /// <summary>Retries a read while the cluster elects its new leader (bounded).</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await read();
            }
            catch (StoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
