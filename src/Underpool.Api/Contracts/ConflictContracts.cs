namespace Underpool.Api.Contracts;

/// <summary>An address in quarantine: another host answered for it when it was about to be handed out.</summary>
public sealed class ConflictView
{
    public required string Address { get; init; }

    public required string Pool { get; init; }

    /// <summary>The MAC that answered: find the host by it.</summary>
    public required string Mac { get; init; }

    public required string Node { get; init; }

    public required string Interface { get; init; }

    public required DateTimeOffset DetectedAt { get; init; }
}

public sealed class ConflictList
{
    public required IReadOnlyList<ConflictView> Conflicts { get; init; }
}

/// <summary>Asks the agent to probe a quarantined address again and free it when nobody answers.</summary>
public sealed class ConflictClear
{
    public required string Address { get; init; }
}
