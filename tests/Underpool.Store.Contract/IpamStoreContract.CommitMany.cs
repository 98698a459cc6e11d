using Underpool.Core.Net;
using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// TryCommitManyAsync: many attachments in few store round trips, each all or nothing, with the outcome one commit after
// another would give it.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task A_batch_commits_every_attachment_and_journals_each_address()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        IIpamStore otherAgent = await OpenAsync();
        long revision = await Store.CurrentRevisionAsync(None);
        AllocationRecord[][] batch =
        [
            [Record(v4, "172.20.1.10", Attachment("a")), Record(v6, "fd00:20:1::10", Attachment("a"))],
            [Record(v4, "172.20.1.11", Attachment("b"))],
            [Record(v6, "fd00:20:1::12", Attachment("c", "net1"))],
        ];

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(batch, None);

        Assert.Equal([CommitStatus.Committed, CommitStatus.Committed, CommitStatus.Committed], outcomes.Select(o => o.Status));
        StoreAssert.SameRecords(batch.SelectMany(a => a), await Store.ListAllocationsAsync(AllocationFilter.All, None));
        StoreAssert.SameRecords(batch[0], await Store.GetAttachmentAsync(Attachment("a"), None));
        Assert.Equal(
            InAnyOrder([Added(v4.Name, "172.20.1.10"), Added(v6.Name, "fd00:20:1::10"), Added(v4.Name, "172.20.1.11"), Added(v6.Name, "fd00:20:1::12")]),
            InAnyOrder(await JournalAfterAsync(revision, otherAgent)));
    }

    [Fact]
    public async Task A_batch_refuses_whole_only_the_attachment_whose_address_is_held_and_commits_its_neighbours()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        AllocationRecord holder = Record(v4, "172.20.1.10", Attachment("holder"));
        await CommitAsync(holder);
        AllocationRecord[][] batch =
        [
            [Record(v4, "172.20.1.11", Attachment("a"))],

            // The free IPv6 address first: a store writing record by record has written it before meeting the held one.
            [Record(v6, "fd00:20:1::10", Attachment("b")), Record(v4, "172.20.1.10", Attachment("b"))],
            [Record(v4, "172.20.1.12", Attachment("c"))],
        ];

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(batch, None);

        Assert.Equal([CommitStatus.Committed, CommitStatus.AddressTaken, CommitStatus.Committed], outcomes.Select(o => o.Status));
        Assert.Equal([(v4.Name, IpAddress.Parse("172.20.1.10"))], outcomes[1].Taken);
        Assert.Empty(await Store.GetAttachmentAsync(Attachment("b"), None));
        StoreAssert.SameRecords([holder, .. batch[0], .. batch[2]], await Store.ListAllocationsAsync(AllocationFilter.All, None));
    }

    [Fact]
    public async Task A_batch_answers_an_attachment_that_holds_addresses_with_its_records_and_commits_the_rest()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord held = Record(v4, "172.20.1.10", Attachment("a"));
        await CommitAsync(held);

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(
            [[Record(v4, "172.20.1.11", Attachment("a"))], [Record(v4, "172.20.1.12", Attachment("b"))]], None);

        Assert.Equal([CommitStatus.AttachmentExists, CommitStatus.Committed], outcomes.Select(o => o.Status));
        StoreAssert.SameRecords([held], outcomes[0].Existing);
        StoreAssert.SameRecords([held], await Store.GetAttachmentAsync(Attachment("a"), None));
    }

    [Fact]
    public async Task A_batch_refuses_as_Stale_only_the_attachments_of_a_changed_pool_or_a_reserved_or_quarantined_address()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        PoolSpec picked = await CreatePoolAsync(SamplePools.V6());
        await Store.DeletePoolAsync(picked.Name, force: false, None);
        await CreatePoolAsync(SamplePools.V6());
        await Store.AddReservedAsync([IpAddress.Parse("172.20.1.20")], None);
        await Store.QuarantineAsync(
            new QuarantineRecord
            {
                Address = IpAddress.Parse("172.20.1.21"), Pool = v4.Name, Mac = "02:42:ac:14:01:3c", Node = "node1", Interface = "eth0", DetectedAt = Created,
            },
            None);

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(
            [
                [Record(v4, "172.20.1.10", Attachment("a")), Record(picked, "fd00:20:1::10", Attachment("a"))],
                [Record(v4, "172.20.1.20", Attachment("b"))],
                [Record(v4, "172.20.1.21", Attachment("c"))],
                [Record(v4, "172.20.1.11", Attachment("d"))],
            ],
            None);

        Assert.Equal([CommitStatus.Stale, CommitStatus.Stale, CommitStatus.Stale, CommitStatus.Committed], outcomes.Select(o => o.Status));
        Assert.Equal(["172.20.1.11"], (await Store.ListAllocationsAsync(AllocationFilter.All, None)).Select(r => r.Address.ToString()));
    }

    [Fact]
    public async Task In_a_batch_a_later_attachment_naming_an_address_or_the_attachment_of_an_earlier_one_is_refused_as_if_committed_after_it()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord first = Record(v4, "172.20.1.10", Attachment("a"));
        AllocationRecord again = Record(v4, "172.20.1.11", Attachment("a"));

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(
            [[first], [Record(v4, "172.20.1.10", Attachment("b"))], [again], [Record(v4, "172.20.1.12", Attachment("c"))]], None);

        Assert.Equal(
            [CommitStatus.Committed, CommitStatus.AddressTaken, CommitStatus.AttachmentExists, CommitStatus.Committed],
            outcomes.Select(o => o.Status));
        StoreAssert.SameRecords([first], outcomes[2].Existing);
        Assert.Equal(["172.20.1.10", "172.20.1.12"], (await Store.ListAllocationsAsync(AllocationFilter.All, None)).Select(r => r.Address.ToString()));
    }

    [Fact]
    public async Task A_batch_larger_than_any_one_store_transaction_commits_all_but_its_refused_attachments()
    {
        PoolSpec v4 = await CreatePoolAsync(SamplePools.Minimal("big-v4", "172.21.0.0/22"));
        PoolSpec v6 = await CreatePoolAsync(SamplePools.V6());
        const int Count = 300;
        int[] held = [7, 150, Count - 1];
        foreach (int i in held)
        {
            await CommitAsync(Record(v4, V4Of(i), Attachment($"holder{i}")));
        }

        long revision = await Store.CurrentRevisionAsync(None);
        AllocationRecord[][] batch = Enumerable.Range(0, Count)
            .Select(i => new[] { Record(v4, V4Of(i), Attachment($"pod{i}")), Record(v6, $"fd00:20:1::1:{i:x}", Attachment($"pod{i}")) })
            .ToArray();

        IReadOnlyList<CommitOutcome> outcomes = await Store.TryCommitManyAsync(batch, None);

        Assert.Equal(
            Enumerable.Range(0, Count).Select(i => held.Contains(i) ? CommitStatus.AddressTaken : CommitStatus.Committed),
            outcomes.Select(o => o.Status));
        IReadOnlyList<AllocationRecord> stored = await Store.ListAllocationsAsync(AllocationFilter.All, None);
        Assert.Equal((2 * (Count - held.Length)) + held.Length, stored.Count);
        Assert.All(held, i => Assert.DoesNotContain(stored, r => r.Attachment == Attachment($"pod{i}")));
        Assert.Equal(2 * (Count - held.Length), (await JournalAfterAsync(revision)).Count(c => c.Kind == StoreChangeKind.AllocationAdded));

        static string V4Of(int i) => $"172.21.{i / 250}.{(i % 250) + 1}";
    }

    [Fact]
    public async Task An_empty_batch_changes_nothing()
    {
        await CreatePoolAsync(SamplePools.V4());
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Empty(await Store.TryCommitManyAsync([], None));

        await AssertNothingJournalledSinceAsync(revision);
    }

    [Fact]
    public async Task A_batch_racing_single_commits_of_the_same_addresses_on_another_store_instance_leaves_each_address_to_one_attachment()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.Minimal("race-v4", "172.22.0.0/24"));
        IIpamStore other = await OpenAsync();
        const int Count = 120;
        string Address(int i) => $"172.22.0.{i + 1}";

        Task<IReadOnlyList<CommitOutcome>> batch = Task.Run(() => Store.TryCommitManyAsync(
            Enumerable.Range(0, Count).Select(i => (IReadOnlyList<AllocationRecord>)[Record(pool, Address(i), Attachment($"import{i}"))]).ToList(), None));
        Task<CommitOutcome[]> singles = Task.WhenAll(Enumerable.Range(0, Count).Reverse()
            .Select(i => Task.Run(() => other.TryCommitAsync([Record(pool, Address(i), Attachment($"add{i}"))], None))));
        IReadOnlyList<CommitOutcome> imported = await batch;
        CommitOutcome[] added = (await singles).Reverse().ToArray();

        IReadOnlyList<AllocationRecord> stored = await Store.ListAllocationsAsync(AllocationFilter.All, None);
        Assert.Equal(Count, stored.Count);
        for (int i = 0; i < Count; i++)
        {
            // Exactly one of the two claimants holds the address, and it is the one whose commit said so.
            AllocationRecord holder = Assert.Single(stored, r => r.Address.ToString() == Address(i));
            Assert.True(
                (imported[i].Status == CommitStatus.Committed) != (added[i].Status == CommitStatus.Committed),
                $"{Address(i)}: import {imported[i].Status}, add {added[i].Status}");
            Assert.Equal(imported[i].Status == CommitStatus.Committed ? $"import{i}" : $"add{i}", holder.Attachment.ContainerId);
        }
    }
}
