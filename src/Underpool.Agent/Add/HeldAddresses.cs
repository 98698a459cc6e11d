using Microsoft.Extensions.Logging;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Failures;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Add;

/// <summary>What the attachment already holds, for an ADD that must not take new addresses: a repeated ADD gets the
/// same addresses (a runtime retrying after a partial failure), a static endpoint gets what it kept.</summary>
internal sealed partial class HeldAddresses(IIpamStore store, StaticEndpoints statics, AddAnswer answer, ILogger<HeldAddresses> log)
{
    /// <summary>The answer from what is held, or null when the ADD must pick addresses.</summary>
    /// <remarks>A plain ADD does not read first: the commit's create-if-absent on the attachment answers a repeated
    /// ADD with what it holds (one store round trip instead of two). A static endpoint must find what it kept, and a
    /// requested address must not be refused as taken by the very attachment that holds it: they read first.</remarks>
    public async Task<Outcome<CniAddResponse>?> AnswerAsync(AddIntent want, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(want);
        if (!ReadsFirst(want))
        {
            return null;
        }

        IReadOnlyList<AllocationRecord> existing = await store.GetAttachmentAsync(want.Key, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            return null;
        }

        if (want.IsStatic)
        {
            return await statics.ResumeAsync(want, existing, cancellationToken).ConfigureAwait(false);
        }

        LogRepeatedAdd(want.Key, string.Join(", ", existing.Select(e => e.Address)));
        return answer.From(existing);
    }

    /// <summary>A repeated plain ADD whose pools can hand out nothing now (disabled, exhausted, no longer allowing this
    /// node) still gets what its attachment holds: a holder keeps its addresses. Read only on this failure path, so a
    /// plain ADD still costs one store round trip; static and requested ADDs read their attachment before choosing.</summary>
    public async Task<Outcome<CniAddResponse>> HeldOrAsync(AddIntent want, Failure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(want);
        if (ReadsFirst(want))
        {
            return failure;
        }

        IReadOnlyList<AllocationRecord> held = await store.GetAttachmentAsync(want.Key, cancellationToken).ConfigureAwait(false);
        if (held.Count == 0)
        {
            return failure;
        }

        LogRepeatedAdd(want.Key, string.Join(", ", held.Select(e => e.Address)));
        return answer.From(held);
    }

    private static bool ReadsFirst(AddIntent want) => want.IsStatic || want.Requested.Count > 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "ADD repeated for {Attachment}: returning its addresses {Addresses}")]
    private partial void LogRepeatedAdd(AttachmentKey attachment, string addresses);
}
