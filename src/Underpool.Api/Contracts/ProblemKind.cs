namespace Underpool.Api.Contracts;

/// <summary>One kind of failure the agent, its client or the plugin can report: what scripts branch on (the problem
/// type), what HTTP says (the status), what the runtime is told (the CNI code) and a title for people. Every kind is
/// an entry of <see cref="ProblemKinds"/>; nothing else names a problem type or a CNI code.</summary>
/// <param name="Type">A stable identifier for scripts, e.g. "pool-exhausted".</param>
/// <param name="Status">The HTTP status: 4xx for the caller's mistake or a state the caller must change, 5xx for ours.</param>
/// <param name="CniCode">The CNI error code the plugin reports (the spec's below 100, Underpool's from 100).</param>
/// <param name="Title">A short summary for people, the same for every occurrence.</param>
public sealed record ProblemKind(string Type, int Status, int CniCode, string Title)
{
    /// <summary>The problem body of one occurrence; <paramref name="status"/> replaces the kind's usual status where
    /// the HTTP layer chose another (a request Kestrel refused, an unexpected answer relayed as it came).</summary>
    public Problem ToProblem(string detail, int? status = null) => new()
    {
        Type = Type,
        Title = Title,
        Status = status ?? Status,
        Detail = detail,
        CniCode = CniCode,
    };
}
