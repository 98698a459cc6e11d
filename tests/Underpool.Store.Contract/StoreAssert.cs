using System.Diagnostics.CodeAnalysis;
using Underpool.Core.Pools;

namespace Underpool.Store.Contract;

/// <summary>Comparisons of what a store returned with what was written.</summary>
public static class StoreAssert
{
    /// <summary>Every field the user declared; <see cref="PoolSpec.Generation"/> is the store's and is left out.</summary>
    /// <remarks>PoolSpec is a record, but its lists compare by reference: compare field by field.</remarks>
    public static void SamePool(PoolSpec expected, [NotNull] PoolSpec? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Subnet, actual.Subnet);
        Assert.Equal(expected.Ranges, actual.Ranges);
        Assert.Equal(expected.Exclude, actual.Exclude);
        Assert.Equal(expected.Gateway, actual.Gateway);
        Assert.Equal(expected.Routes, actual.Routes);
        Assert.Equal(expected.Vlan, actual.Vlan);
        Assert.Equal(expected.Affinity.NodeNames, actual.Affinity.NodeNames);
        Assert.Equal(expected.Affinity.NodeSelector, actual.Affinity.NodeSelector);
        Assert.Equal(expected.IsDefault, actual.IsDefault);
        Assert.Equal(expected.Disabled, actual.Disabled);
        Assert.Equal((expected.Parent, expected.App, expected.Keep), (actual.Parent, actual.App, actual.Keep));
    }

    /// <summary>The same records, every field equal, in any order (the contract promises no order; callers sort).</summary>
    /// <remarks>AllocationRecord's equality covers every field; CreatedAt compares as an instant, to the tick.</remarks>
    public static void SameRecords(IEnumerable<AllocationRecord> expected, IEnumerable<AllocationRecord> actual) =>
        Assert.Equal(InKeyOrder(expected), InKeyOrder(actual));

    private static List<AllocationRecord> InKeyOrder(IEnumerable<AllocationRecord> records) =>
        records.OrderBy(r => r.Pool, StringComparer.Ordinal).ThenBy(r => r.Address).ToList();
}
