using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// Many agents committing at once through two store instances: what the per-address create-if-absent guarantees.
// Each contested test runs several rounds, so that the racers really overlap even on a machine with two cores.
public abstract partial class IpamStoreContract
{
    private const int Racers = 16;
    private const int Rounds = 8;

    [Fact]
    public async Task Two_stores_committing_distinct_addresses_from_many_tasks_commit_every_one()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.Minimal("wide", "10.30.0.0/24"));
        IIpamStore[] stores = [Store, await OpenAsync()];
        const int addresses = 100;

        // Racer r commits addresses r+1, r+1+16, ... each for its own attachment, through store r % 2.
        CommitStatus[][] statuses = await RaceAsync(async racer =>
        {
            var mine = new List<CommitStatus>();
            for (int n = racer + 1; n <= addresses; n += Racers)
            {
                AllocationRecord record = Record(pool, $"10.30.0.{n}", Attachment($"c{n}"));
                mine.Add((await stores[racer % 2].TryCommitAsync([record], None)).Status);
            }

            return mine.ToArray();
        });

        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(CommitStatus.Committed, s));
        IReadOnlyList<AllocationRecord> rows = await Store.ListAllocationsAsync(AllocationFilter.All, None);
        Assert.Equal(
            Enumerable.Range(1, addresses).Select(n => IpAddress.Parse($"10.30.0.{n}")),
            rows.Select(r => r.Address).Order());
    }

    [Fact]
    public async Task Tasks_racing_for_one_address_across_two_stores_commit_it_exactly_once()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.Minimal("wide", "10.30.0.0/24"));
        IIpamStore[] stores = [Store, await OpenAsync()];

        // In round n every racer commits address 10.30.0.(n+1), each for an attachment of its own.
        CommitOutcome[][] outcomes = await RaceRoundsAsync(async (racer, round) =>
            await stores[racer % 2].TryCommitAsync([Record(pool, $"10.30.0.{round + 1}", Attachment($"c{racer}-{round}"))], None));

        var winners = new List<AllocationRecord>();
        for (int round = 0; round < Rounds; round++)
        {
            int winner = SingleWinner(outcomes, round);
            winners.Add(Record(pool, $"10.30.0.{round + 1}", Attachment($"c{winner}-{round}")));
            Assert.All(Losers(outcomes, round, winner), o =>
            {
                Assert.Equal(CommitStatus.AddressTaken, o.Status);
                Assert.Equal([(pool.Name, IpAddress.Parse($"10.30.0.{round + 1}"))], o.Taken);
            });
        }

        StoreAssert.SameRecords(winners, await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Tasks_racing_to_commit_one_attachment_across_two_stores_commit_it_once_and_the_rest_see_the_winner()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.Minimal("wide", "10.30.0.0/24"));
        IIpamStore[] stores = [Store, await OpenAsync()];

        // In round n every racer commits attachment c-n (a repeated ADD), each having picked another address.
        CommitOutcome[][] outcomes = await RaceRoundsAsync(async (racer, round) =>
            await stores[racer % 2].TryCommitAsync([Record(pool, ContestedAddress(racer, round), Attachment($"c-{round}"))], None));

        var winners = new List<AllocationRecord>();
        for (int round = 0; round < Rounds; round++)
        {
            int winner = SingleWinner(outcomes, round);
            AllocationRecord[] won = [Record(pool, ContestedAddress(winner, round), Attachment($"c-{round}"))];
            winners.AddRange(won);
            Assert.All(Losers(outcomes, round, winner), o =>
            {
                Assert.Equal(CommitStatus.AttachmentExists, o.Status);
                StoreAssert.SameRecords(won, o.Existing);
            });
        }

        StoreAssert.SameRecords(winners, await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task Commits_made_at_once_through_one_store_commit_every_one_but_the_colliding_one_which_writes_nothing()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.Minimal("wide", "10.30.0.0/24"));
        AllocationRecord holder = Record(pool, "10.30.0.5", Attachment("holder"));
        await CommitAsync(holder);
        AllocationRecord[] records = [.. Enumerable.Range(1, 8).Select(n => Record(pool, $"10.30.0.{n}", Attachment($"c{n}")))];

        // Issued back to back without waiting, as an agent's concurrent ADDs reach its store.
        Task<CommitOutcome>[] commits = [.. records.Select(r => Store.TryCommitAsync([r], None))];
        CommitOutcome[] outcomes = await Task.WhenAll(commits);

        Assert.Equal(
            records.Select(r => r.Address.ToString() == "10.30.0.5" ? CommitStatus.AddressTaken : CommitStatus.Committed),
            outcomes.Select(o => o.Status));
        Assert.Empty(await Store.GetAttachmentAsync(Attachment("c5"), None));
        StoreAssert.SameRecords(
            records.Where(r => r.Address.ToString() != "10.30.0.5").Append(holder),
            await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    private static string ContestedAddress(int racer, int round) => $"10.30.0.{(round * Racers) + racer + 1}";

    /// <summary>The racer whose commit of <paramref name="round"/> went through, after checking it is the only one.</summary>
    private static int SingleWinner(CommitOutcome[][] outcomes, int round)
    {
        int[] winners = Enumerable.Range(0, Racers).Where(r => outcomes[r][round].Status == CommitStatus.Committed).ToArray();
        Assert.True(winners.Length == 1, $"round {round}: racers {string.Join(", ", winners)} committed, expected exactly one");
        return winners[0];
    }

    private static IEnumerable<CommitOutcome> Losers(CommitOutcome[][] outcomes, int round, int winner) =>
        Enumerable.Range(0, Racers).Where(r => r != winner).Select(r => outcomes[r][round]);

    /// <summary>Every racer runs <see cref="Rounds"/> rounds in turn; outcomes indexed by racer, then round.</summary>
    private static Task<CommitOutcome[][]> RaceRoundsAsync(Func<int, int, Task<CommitOutcome>> commit) =>
        RaceAsync(async racer =>
        {
            var mine = new CommitOutcome[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                mine[round] = await commit(racer, round);
            }

            return mine;
        });

    /// <summary>Runs <see cref="Racers"/> tasks on the thread pool, released together by one start signal.</summary>
    private static async Task<T[]> RaceAsync<T>(Func<int, Task<T>> racer)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<T>[] tasks = Enumerable.Range(0, Racers)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await racer(i);
            }))
            .ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
