namespace Underpool.Agent;

/// <summary>Everything the agent is told at start; validated once by <see cref="AgentOptionsParser"/>.</summary>
public sealed record AgentOptions
{
    public string Socket { get; init; } = Api.Contracts.ApiRoutes.DefaultSocket;

    /// <summary>This node's name: allocations record it and pool affinity is checked against it.</summary>
    public required string Node { get; init; }

    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>"embedded" (SQLite) for now; etcd and kubernetes come later.</summary>
    public string Store { get; init; } = "embedded";

    public string DataDir { get; init; } = "/var/lib/underpool";

    /// <summary>"json" (structured, one object per line) or "text".</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary>How many times an ADD re-picks after its candidates were taken by another agent.</summary>
    public int MaxCommitAttempts { get; init; } = 32;
}
