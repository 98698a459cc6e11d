using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>One ADD, as its stages: identify the attachment, answer from what it holds when it holds something, then
/// choose pools, pick candidates, screen them, commit, answer. Allocates one address per requested family, all or
/// nothing.</summary>
/// <remarks>The candidates picked are leased from the in-memory view for one attempt: whatever the attempt does not
/// commit goes back to the view when it ends, however it ends.</remarks>
internal sealed class AddFlow(
    IAddIdentifier identify,
    PoolRegistry registry,
    HeldAddresses held,
    PoolChooser choose,
    CandidatePicker pick,
    CandidateScreen screen,
    AllocationCommit commit,
    AddAnswer answer,
    AgentOptions options)
{
    public async Task<Outcome<CniAddResponse>> RunOnceAsync(CniAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Once per try, before identifying: annotations name pools, and the stages after it read the same view.
        await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        Outcome<AddIntent> identified = await identify.IdentifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (!identified.IsSuccess)
        {
            return identified.Failure;
        }

        AddIntent want = identified.Value!;
        return identify.Answered(request, want, await AllocateAsync(want, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>What the attachment holds, else choose, pick, screen and commit, attempt after attempt.</summary>
    private async Task<Outcome<CniAddResponse>> AllocateAsync(AddIntent want, CancellationToken cancellationToken)
    {
        if (await held.AnswerAsync(want, cancellationToken).ConfigureAwait(false) is { } fromHeld)
        {
            return fromHeld;
        }

        for (int attempt = 1; attempt <= options.MaxCommitAttempts; attempt++)
        {
            if (await AttemptAsync(want, attempt, cancellationToken).ConfigureAwait(false) is { } answered)
            {
                return answered;
            }
        }

        return AddFailures.GaveUp(options.MaxCommitAttempts);
    }

    /// <summary>Choose, pick, screen, commit: one attempt, owning its candidates until it ends.</summary>
    /// <returns>The answer, or null to try again (the pools or other agents moved; nothing was written).</returns>
    private async Task<Outcome<CniAddResponse>?> AttemptAsync(AddIntent want, int attempt, CancellationToken cancellationToken)
    {
        // Chosen again on every attempt: a stale commit means the pools may have changed under us.
        Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> families = choose.Choose(want);
        if (!families.IsSuccess)
        {
            return await held.HeldOrAsync(want, families.Failure, cancellationToken).ConfigureAwait(false);
        }

        Outcome<CandidateLease> picked = pick.Pick(families.Value!, want.Requested);
        if (!picked.IsSuccess)
        {
            return await held.HeldOrAsync(want, picked.Failure, cancellationToken).ConfigureAwait(false);
        }

        using CandidateLease lease = picked.Value!;
        if (await screen.ScreenAsync(want, lease, families.Value!, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        CommitResult result = await commit.CommitAsync(want, lease, attempt, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } failure)
        {
            return failure;
        }

        if (result.Records is { } records)
        {
            return answer.From(records);
        }

        return null;
    }
}
