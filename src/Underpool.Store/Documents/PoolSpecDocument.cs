namespace Underpool.Store.Documents;

/// <summary>A pool as a store keeps it (SQLite's <c>pools.spec</c>, an etcd key's value): plain JSON with addresses and
/// subnets as canonical text, so the data stays readable with the sqlite3 shell or etcdctl and the Core types can change
/// without a migration.</summary>
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

    /// <summary>Absent for ordinary pools; see PoolSpec.Parent, App and Keep.</summary>
    public string? Parent { get; init; }

    public string? App { get; init; }

    public bool Keep { get; init; }

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
