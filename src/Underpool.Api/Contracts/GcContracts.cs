namespace Underpool.Api.Contracts;

// The agent's own garbage collection: the liveness sweep of this node's allocations (POST /v1/gc/run), also run
// every --gc-interval by the agent itself.

public sealed class GcRunRequest
{
    /// <summary>Only report what a sweep would do; change nothing.</summary>
    public bool DryRun { get; init; }
}

/// <summary>One attachment's address the sweep released (or would release, or stopped), and why.</summary>
public sealed class GcFinding
{
    public required AllocationView Allocation { get; init; }

    /// <summary>The machine-readable reason, e.g. "netns-gone"; the metrics count releases under "sweep".</summary>
    public required string Reason { get; init; }

    /// <summary>The reason for a person, e.g. "network namespace /var/run/netns/x no longer exists".</summary>
    public required string Detail { get; init; }
}

public sealed class GcRunResponse
{
    public required string Node { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Leaked addresses given back to their pools (empty on a dry run).</summary>
    public IReadOnlyList<GcFinding> Released { get; init => field = value ?? []; } = [];

    /// <summary>What a real run would release (dry run only).</summary>
    public IReadOnlyList<GcFinding> WouldRelease { get; init => field = value ?? []; } = [];

    /// <summary>Static endpoints whose namespace is gone: they keep their addresses and are marked not running
    /// (on a dry run: would be).</summary>
    public IReadOnlyList<GcFinding> Stopped { get; init => field = value ?? []; } = [];

    /// <summary>This node's allocations the runtime gave no network namespace path for: their liveness cannot be
    /// told, so the sweep never touches them (CNI GC or DEL must).</summary>
    public int UnknownLiveness { get; init; }

    /// <summary>Allocations younger than --gc-grace, left alone because their ADD may still be in flight.</summary>
    public int InGrace { get; init; }
}
