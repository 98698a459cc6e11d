using Underpool.Api.Contracts;

namespace Underpool.Agent.Ipam;

/// <summary>Why a request failed, as a value: it becomes an HTTP problem for clients and a CNI error for runtimes.</summary>
/// <param name="Kind">The catalogue entry (<see cref="ProblemKinds"/>): type, usual status, CNI code and title.</param>
/// <param name="Detail">What happened and what to do, for a person.</param>
public sealed record Failure(ProblemKind Kind, string Detail)
{
    /// <summary>Transitional, for call sites that still spell a kind out: the entry of <paramref name="type"/> with
    /// <paramref name="status"/> and <paramref name="cniCode"/>, which must exist in the catalogue.</summary>
    public Failure(string type, int status, string detail, int cniCode)
        : this(Find(type, status, cniCode), detail)
    {
    }

    /// <summary>The stable id scripts branch on: <see cref="ProblemKind.Type"/>.</summary>
    public string Type => Kind.Type;

    /// <summary>The HTTP status: the kind's, unless the HTTP layer chose another (a request Kestrel refused).</summary>
    public int Status { get; init; } = Kind.Status;

    /// <summary>The CNI error code the plugin reports.</summary>
    public int CniCode => Kind.CniCode;

    public static Failure InvalidRequest(string detail) => new(ProblemKinds.InvalidRequest, detail);

    public static Failure StoreUnavailable(string detail) => new(ProblemKinds.StoreUnavailable, detail);

    public Problem ToProblem() => Kind.ToProblem(Detail, Status);

    private static ProblemKind Find(string type, int status, int cniCode) =>
        ProblemKinds.All.FirstOrDefault(k => k.Type == type && k.Status == status && k.CniCode == cniCode)
        ?? throw new ArgumentException($"no problem kind {type} ({status}, CNI {cniCode}) in the catalogue", nameof(type));
}

/// <summary>A value or the <see cref="Failure"/> that prevented it.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
