using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Import;

internal enum PlanAction
{
    /// <summary>File every address of the attachment.</summary>
    Import,

    /// <summary>The attachment holds exactly these addresses already: nothing to do.</summary>
    AlreadyHeld,

    /// <summary>File none of them; the addresses' problems say why.</summary>
    Skip,
}

/// <summary>One address of an attachment: the pool it goes in, or why it cannot be filed (null when it can).</summary>
internal sealed record PlannedAddress(IpAddress Address, PoolSpec? Pool, string? Problem);

/// <summary>What an import does with one attachment: all of its addresses or none.</summary>
internal sealed record AttachmentPlan(ImportCandidate Candidate, PlanAction Action, IReadOnlyList<PlannedAddress> Addresses)
{
    /// <summary>The whole attachment skipped: each address with its own problem, or, when it has none, because a
    /// partner of it has one (dual-stack is both or neither).</summary>
    public static AttachmentPlan Skip(ImportCandidate candidate, IReadOnlyList<PlannedAddress> addresses)
    {
        string partners = string.Join(", ", addresses.Where(a => a.Problem is not null).Select(a => a.Address));
        return new AttachmentPlan(
            candidate,
            PlanAction.Skip,
            addresses.Select(a => a with { Problem = a.Problem ?? $"not filed because {partners} of the same attachment cannot be (all or nothing)" }).ToList());
    }
}
