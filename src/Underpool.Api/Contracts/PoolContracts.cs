namespace Underpool.Api.Contracts;

// Optional lists and objects default to empty in their init accessors, not only in their initializers: the source
// generator assigns every init-only property of a type with required members, passing null for one the JSON left out.

/// <summary>A pool as the API shows and accepts it; addresses as text.</summary>
public sealed class PoolDefinition
{
    public required string Name { get; init; }

    public required string Subnet { get; init; }

    /// <summary>"a-b" or single addresses; empty = the whole subnet less network/broadcast.</summary>
    public IReadOnlyList<string> Ranges { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> Exclude { get; init => field = value ?? []; } = [];

    public string? Gateway { get; init; }

    public IReadOnlyList<AssignedRoute> Routes { get; init => field = value ?? []; } = [];

    public int? Vlan { get; init; }

    public IReadOnlyList<string> Nodes { get; init => field = value ?? []; } = [];

    /// <summary>Label selector: "k=v,k2!=v,k3 in (a,b),k4 notin (c),k5,!k6".</summary>
    public string? NodeSelector { get; init; }

    public bool Default { get; init; }

    public bool Disabled { get; init; }

    /// <summary>"on" or "off": probe candidates for conflicts; absent follows the agent's --probe.</summary>
    public string? Probe { get; init; }

    /// <summary>"off" (absent), "on" (an unreachable gateway fails the ADD) or "warn" (it is logged).</summary>
    public string? CheckGateway { get; init; }

    /// <summary>Set on application pools only (made with `underpoolctl app-pool create`): the pool carved from.</summary>
    public string? Parent { get; init; }

    /// <summary>Set on application pools only: the application ("namespace/name") whose replicas draw from it.</summary>
    public string? App { get; init; }

    /// <summary>An application pool kept when its application is deleted.</summary>
    public bool Keep { get; init; }
}

/// <summary>How full a pool is. Capacity is text: a /64 holds more than a JSON number can say exactly.</summary>
public sealed class PoolUsage
{
    public required long Allocated { get; init; }

    /// <summary>Addresses the pool can ever hand out (ranges less excluded and gateway), decimal text.</summary>
    public required string Capacity { get; init; }

    /// <summary>Allocated / capacity, 0-100.</summary>
    public required double PercentUsed { get; init; }

    /// <summary>The store journal revision these figures are as of: the agent's view, caught up with the store just
    /// before it answered. Another agent's view may be at another revision (each catches up when asked).</summary>
    public long AsOfRevision { get; init; }
}

public sealed class PoolView
{
    public required PoolDefinition Pool { get; init; }

    public required string Family { get; init; }

    public required PoolUsage Usage { get; init; }

    /// <summary>The pool rules this stored pool breaks (it was stored before the rule existed, or by hand): while any
    /// is listed the pool hands out nothing new; its holders keep their addresses. Empty for a sound pool.</summary>
    public IReadOnlyList<string> Problems { get; init => field = value ?? []; } = [];
}

/// <summary>A change of an existing pool (POST /v1/pools/NAME/update): only what is set changes.</summary>
/// <remarks>A change that stops the pool handing out an address (a new excluded address, a new gateway inside its
/// ranges) is refused while that address is allocated, naming its holders. Ranges can be added, never removed.</remarks>
public sealed class PoolUpdate
{
    /// <summary>Ranges to add ("a-b" or single addresses); the pool must already list ranges.</summary>
    public IReadOnlyList<string> AddRanges { get; init => field = value ?? []; } = [];

    /// <summary>Addresses to exclude from now on.</summary>
    public IReadOnlyList<string> AddExclude { get; init => field = value ?? []; } = [];

    /// <summary>Excluded addresses to hand out again.</summary>
    public IReadOnlyList<string> RemoveExclude { get; init => field = value ?? []; } = [];

    /// <summary>The new node names; absent keeps them, empty removes them.</summary>
    public IReadOnlyList<string>? Nodes { get; init; }

    /// <summary>The new node selector; absent keeps it, empty removes it.</summary>
    public string? NodeSelector { get; init; }

    /// <summary>The new gateway; absent keeps it, empty removes it.</summary>
    public string? Gateway { get; init; }

    /// <summary>The new routes, replacing the old; absent keeps them, empty removes them.</summary>
    public IReadOnlyList<AssignedRoute>? Routes { get; init; }

    /// <summary>True disables the pool (it hands out nothing new; its holders keep their addresses), false enables it;
    /// absent keeps it as it is.</summary>
    public bool? Disabled { get; init; }
}

public sealed class PoolDeleteResponse
{
    public required string Name { get; init; }

    /// <summary>Allocations released by a forced delete; for an application pool, the addresses given back to its
    /// parent (each once).</summary>
    public long Released { get; init; }

    /// <summary>For an application pool: how many of <see cref="Released"/> were still held by replicas.</summary>
    public long TakenFromHolders { get; init; }
}

public sealed class ReservedChange
{
    public required IReadOnlyList<string> Addresses { get; init; }
}

public sealed class ReservedList
{
    public required IReadOnlyList<string> Addresses { get; init; }
}

public sealed class ReservedChangeResponse
{
    /// <summary>The addresses whose state changed (already reserved / not reserved ones are left out).</summary>
    public required IReadOnlyList<string> Changed { get; init; }

    /// <summary>Notes a person should read, e.g. a reserved address that is allocated right now.</summary>
    public IReadOnlyList<string> Warnings { get; init => field = value ?? []; } = [];
}

public sealed class AllocationView
{
    public required string Pool { get; init; }

    public required string Address { get; init; }

    public required string Network { get; init; }

    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    public required string Node { get; init; }

    public string? NetNs { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Held by a static endpoint: DEL keeps it. ContainerId is then the running container, or
    /// "static:NAME" while the endpoint is not running.</summary>
    public bool Static { get; init; }
}
