namespace Underpool.Api.Contracts;

/// <summary>An address in quarantine: another host answered for it when it was about to be handed out.</summary>
public sealed class ConflictView
{
    public const string OurNode = "node";

    public const string OurPod = "pod";

    public const string Foreign = "foreign";

    public required string Address { get; init; }

    public required string Pool { get; init; }

    /// <summary>The MAC that answered: find the host by it.</summary>
    public required string Mac { get; init; }

    /// <summary>Whose MAC that is: <see cref="OurNode"/> (an uplink of one of our nodes), <see cref="OurPod"/> (the
    /// interface of one of our pods) or <see cref="Foreign"/> (no agent knows it). Quarantine is for foreign hosts:
    /// an address answered for by ours is freed as soon as that is known.</summary>
    public string AnsweredBy { get; init; } = Foreign;

    /// <summary>The node's name, or the pod's namespace/name, when <see cref="AnsweredBy"/> is one of ours.</summary>
    public string? Owner { get; init; }

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
