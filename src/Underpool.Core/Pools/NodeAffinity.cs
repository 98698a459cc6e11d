namespace Underpool.Core.Pools;

/// <summary>Which nodes may draw from a pool: named nodes and/or a label selector ("k=v,k2 in (a,b)").</summary>
/// <remarks>Both empty means every node. When both are set a node qualifies if it is named OR matches the
/// selector, so a pool can add one odd node to a label-selected rack.</remarks>
public sealed record NodeAffinity(IReadOnlyList<string> NodeNames, string? NodeSelector)
{
    public static NodeAffinity Any { get; } = new([], null);

    public bool IsAny => NodeNames.Count == 0 && string.IsNullOrWhiteSpace(NodeSelector);
}
