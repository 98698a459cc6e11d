namespace Underpool.Api.Contracts;

/// <summary>Carve <see cref="Size"/> free addresses of the pool <see cref="Parent"/> into a pool only the replicas of
/// <see cref="App"/> draw from.</summary>
public sealed class AppPoolCreate
{
    public required string Name { get; init; }

    public required string Parent { get; init; }

    /// <summary>"namespace/name", matched against CNI_ARGS UNDERPOOL_APP.</summary>
    public required string App { get; init; }

    public required int Size { get; init; }

    /// <summary>Keep the pool when its application is deleted.</summary>
    public bool Keep { get; init; }
}

/// <summary>The new size of an application pool: growing carves more of the parent, shrinking frees unused ones.</summary>
public sealed class AppPoolScale
{
    public required int Size { get; init; }
}

/// <summary>The application was deleted: reclaim its application pools (those not marked keep).</summary>
public sealed class AppReclaim
{
    public required string App { get; init; }
}

public sealed class AppReclaimResponse
{
    public IReadOnlyList<string> Deleted { get; init => field = value ?? []; } = [];

    /// <summary>Application pools of the application that were marked keep.</summary>
    public IReadOnlyList<string> Kept { get; init => field = value ?? []; } = [];

    /// <summary>Addresses given back to the parent pools, each once: the deleted pools' sizes.</summary>
    public long Released { get; init; }

    /// <summary>How many of <see cref="Released"/> replicas still held (their allocations were released with the pools).</summary>
    public long TakenFromReplicas { get; init; }
}
