using Underpool.Api.Contracts;

namespace Underpool.Agent.Failures;

/// <summary>Why a request failed, as a value: it becomes an HTTP problem for clients and a CNI error for runtimes.</summary>
/// <param name="Kind">The catalogue entry (<see cref="ProblemKinds"/>): type, usual status, CNI code and title.</param>
/// <param name="Detail">What happened and what to do, for a person.</param>
internal sealed record Failure(ProblemKind Kind, string Detail)
{
    /// <summary>The stable id scripts branch on: <see cref="ProblemKind.Type"/>.</summary>
    public string Type => Kind.Type;

    /// <summary>The HTTP status: the kind's, unless the HTTP layer chose another (a request Kestrel refused).</summary>
    public int Status { get; init; } = Kind.Status;

    /// <summary>The CNI error code the plugin reports.</summary>
    public int CniCode => Kind.CniCode;

    public static Failure InvalidRequest(string detail) => new(ProblemKinds.InvalidRequest, detail);

    public static Failure StoreUnavailable(string detail) => new(ProblemKinds.StoreUnavailable, detail);

    public Problem ToProblem() => Kind.ToProblem(Detail, Status);
}
