namespace Underpool.Core.Pools;

/// <summary>Which nodes may draw from a pool: named nodes and/or a label selector ("k=v,k2 in (a,b)").</summary>
/// <remarks>Both empty means every node. When both are set a node qualifies only if it is named AND matches the
/// selector (see <see cref="NodeAffinityRules"/> for why).</remarks>
public sealed record NodeAffinity(IReadOnlyList<string> NodeNames, string? NodeSelector)
{
    public static NodeAffinity Any { get; } = new([], null);

    public bool IsAny => NodeNames.Count == 0 && string.IsNullOrWhiteSpace(NodeSelector);
}
