namespace Underpool.Store.Embedded;

/// <summary>A pool as stored in <c>pools.spec</c>: plain JSON with addresses and subnets as canonical text, so the
/// file stays readable with the sqlite3 shell and the Core types can change without a migration.</summary>
internal sealed class PoolSpecDocument
{
    public required string Name { get; init; }

    public required string Subnet { get; init; }

    public IReadOnlyList<string> Ranges { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string? Gateway { get; init; }

    public IReadOnlyList<RouteDocument> Routes { get; init; } = [];

    public int? Vlan { get; init; }

    /// <summary>Absent means any node.</summary>
    public AffinityDocument? Affinity { get; init; }

    public bool IsDefault { get; init; }

    public bool Disabled { get; init; }

    /// <summary>Absent follows the agent's --probe.</summary>
    public bool? Probe { get; init; }

    /// <summary>"on" or "warn"; absent means off.</summary>
    public string? CheckGateway { get; init; }

    internal sealed class RouteDocument
    {
        public required string Destination { get; init; }

        public string? Gateway { get; init; }
    }

    internal sealed class AffinityDocument
    {
        public IReadOnlyList<string> NodeNames { get; init; } = [];

        public string? NodeSelector { get; init; }
    }
}
