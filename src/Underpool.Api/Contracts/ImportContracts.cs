namespace Underpool.Api.Contracts;

// Importing the live allocations of another IPAM (POST /v1/import). underpoolctl reads host-local's files or the
// Whereabouts / Spiderpool custom resources and sends them in this shape, which knows nothing of any source; the agent
// files each attachment's addresses, all or nothing per attachment, and reports every address.

/// <summary>Allocations to file as attachments of one CNI network, and pools to create for them first.</summary>
public sealed class ImportRequest
{
    /// <summary>The most attachments one request may carry; the CLI sends bigger imports in several requests.</summary>
    public const int MaxAttachments = 10_000;

    /// <summary>The largest request body the agent reads on the import route (the other routes take 1 MiB).</summary>
    public const long MaxBodyBytes = 16L << 20;

    /// <summary>Where the allocations come from, for the report and the log: "host-local", "whereabouts", "spiderpool".</summary>
    public required string Source { get; init; }

    /// <summary>The CNI network name (netconf "name") every attachment is filed under: a later DEL or ADD of the same
    /// container on this network finds it.</summary>
    public required string Network { get; init; }

    /// <summary>Only report what would be done; change nothing (pools are not created either).</summary>
    public bool DryRun { get; init; }

    /// <summary>Pools to create before filing, each checked exactly as `pool create` checks it; one that exists already
    /// is kept as it is.</summary>
    public IReadOnlyList<PoolDefinition> CreatePools { get; init => field = value ?? []; } = [];

    public IReadOnlyList<ImportAttachment> Attachments { get; init => field = value ?? []; } = [];
}

/// <summary>One container interface and the addresses it holds now.</summary>
public sealed class ImportAttachment
{
    /// <summary>CNI_CONTAINERID of the attachment. When the source never recorded it (Spiderpool 0.7 and later), leave
    /// it out and give <see cref="PodUid"/>: the attachment is then keyed by the pod, and the pod's DEL releases it.</summary>
    public string? ContainerId { get; init; }

    public required string IfName { get; init; }

    /// <summary>The node the container runs on, when the source knows it (host-local: the node whose files these are).</summary>
    public string? Node { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? PodUid { get; init; }

    /// <summary>Where in the input this attachment was found (a file, an object and key), for messages.</summary>
    public string? Origin { get; init; }

    public IReadOnlyList<ImportAddress> Addresses { get; init => field = value ?? []; } = [];
}

public sealed class ImportAddress
{
    public required string Address { get; init; }

    /// <summary>The pool to file it in; absent: the pool that hands it out.</summary>
    public string? Pool { get; init; }
}

/// <summary>What happened to each pool asked for and to each address.</summary>
public sealed class ImportResponse
{
    public bool DryRun { get; init; }

    public IReadOnlyList<ImportPoolResult> Pools { get; init => field = value ?? []; } = [];

    public IReadOnlyList<ImportResult> Results { get; init => field = value ?? []; } = [];
}

public sealed class ImportPoolResult
{
    public required string Name { get; init; }

    /// <summary>"created", "would-create" (dry run) or "exists" (kept as it is).</summary>
    public required string Outcome { get; init; }
}

/// <summary>One address of the input and what became of it.</summary>
public sealed class ImportResult
{
    public required string Address { get; init; }

    /// <summary>The pool it was (or would be) filed in; absent when no pool takes it.</summary>
    public string? Pool { get; init; }

    public required string Network { get; init; }

    /// <summary>The attachment's container id as stored: the runtime's, or "pod:UID" for an attachment keyed by its pod.</summary>
    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    public required string Node { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodName { get; init; }

    public string? Origin { get; init; }

    /// <summary>One of <see cref="ImportOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why it was skipped, or what it is held by, for a person; absent when imported.</summary>
    public string? Detail { get; init; }
}

/// <summary>The outcomes of <see cref="ImportResult.Outcome"/>.</summary>
public static class ImportOutcomes
{
    public const string Imported = "imported";

    public const string WouldImport = "would-import";

    /// <summary>The same attachment holds it already (a repeated import): nothing to do.</summary>
    public const string AlreadyHeld = "already-held";

    /// <summary>Not filed; <see cref="ImportResult.Detail"/> says why (outside every pool, held by another attachment,
    /// reserved, another address of its attachment cannot be filed, ...).</summary>
    public const string Skipped = "skipped";
}
