using Underpool.Agent.Failures;
using Underpool.Store;

namespace Underpool.Agent.Add;

/// <summary>What one commit attempt came to: the attachment's records to answer with, a failure, or neither (pick again).</summary>
internal sealed record CommitResult(IReadOnlyList<AllocationRecord>? Records, Failure? Failure)
{
    /// <summary>Nothing was written and nothing is wrong: the pools or the other agents moved; pick again.</summary>
    public static readonly CommitResult Again = new(null, null);

    public static CommitResult Answer(IReadOnlyList<AllocationRecord> records) => new(records, null);

    public static CommitResult Refused(Failure failure) => new(null, failure);
}
