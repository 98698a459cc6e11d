using Underpool.Core.Net;

namespace Underpool.Store.Embedded.Tests;

/// <summary>What the SQLite store does with reserved addresses beyond the contract (see <see cref="SqliteStoreContractTests"/>).</summary>
public sealed class ReservedTests : StoreFixture
{
    private static readonly IpAddress A = IpAddress.Parse("172.20.1.7");
    private static readonly IpAddress B = IpAddress.Parse("172.20.1.30");
    private static readonly IpAddress C = IpAddress.Parse("fd00:20:1::7");

    [Fact]
    public async Task Listing_returns_every_reserved_address_in_order_IPv4_first()
    {
        await Store.AddReservedAsync([C, B, A], None);

        Assert.Equal([A, B, C], await Store.ListReservedAsync(None));
    }

    [Fact]
    public async Task Each_changed_address_is_journalled_and_unchanged_ones_are_not()
    {
        await Store.AddReservedAsync([A], None);
        long before = await Store.CurrentRevisionAsync(None);

        await Store.AddReservedAsync([A, B], None);
        await Store.RemoveReservedAsync([C], None);

        StoreChangeBatch batch = await Store.ReadChangesAsync(before, None);
        StoreChange change = Assert.Single(batch.Changes);
        Assert.Equal((StoreChangeKind.ReservedChanged, null, B), (change.Kind, change.Pool, change.Address));
    }
}
