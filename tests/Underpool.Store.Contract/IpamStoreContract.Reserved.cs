using Underpool.Core.Net;

namespace Underpool.Store.Contract;

// Reserved addresses: a set no pool may hand out.
public abstract partial class IpamStoreContract
{
    private static readonly IpAddress ReservedA = IpAddress.Parse("172.20.1.7");
    private static readonly IpAddress ReservedB = IpAddress.Parse("172.20.1.30");
    private static readonly IpAddress ReservedC = IpAddress.Parse("fd00:20:1::7");

    [Fact]
    public async Task Adding_reserved_addresses_returns_only_those_that_were_not_reserved_before()
    {
        await Store.AddReservedAsync([ReservedA], None);

        IReadOnlyList<IpAddress> added = await Store.AddReservedAsync([ReservedA, ReservedB, ReservedC, ReservedB], None);

        Assert.Equal([ReservedB, ReservedC], added.Order());
    }

    [Fact]
    public async Task Removing_reserved_addresses_returns_only_those_that_were_reserved()
    {
        await Store.AddReservedAsync([ReservedA, ReservedC], None);

        IReadOnlyList<IpAddress> removed = await Store.RemoveReservedAsync([ReservedB, ReservedC, ReservedA], None);

        Assert.Equal([ReservedA, ReservedC], removed.Order());
        Assert.Empty(await Store.ListReservedAsync(None));
    }

    [Fact]
    public async Task Listing_reserved_addresses_returns_every_one_of_both_families()
    {
        await Store.AddReservedAsync([ReservedC, ReservedB], None);
        await Store.AddReservedAsync([ReservedA], None);

        Assert.Equal([ReservedA, ReservedB, ReservedC], (await Store.ListReservedAsync(None)).Order());
    }

    [Fact]
    public async Task Reserved_changes_that_change_nothing_journal_nothing()
    {
        await Store.AddReservedAsync([ReservedA], None);
        long revision = await Store.CurrentRevisionAsync(None);

        Assert.Empty(await Store.AddReservedAsync([ReservedA], None));
        Assert.Empty(await Store.RemoveReservedAsync([ReservedB], None));
        Assert.Empty(await Store.AddReservedAsync([], None));
        Assert.Empty(await Store.RemoveReservedAsync([], None));

        await AssertNothingJournalledSinceAsync(revision);
    }
}
