namespace Underpool.Api.Contracts;

/// <summary>An RFC 9457 problem body: every 4xx/5xx from the agent carries one.</summary>
public sealed class Problem
{
    /// <summary>A stable identifier for scripts: a <see cref="ProblemKind.Type"/> of <see cref="ProblemKinds"/>.</summary>
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    /// <summary>What happened and what to do, for a person.</summary>
    public required string Detail { get; init; }

    /// <summary>The CNI error code the plugin should report (CNI spec codes, 100+ are Underpool's).</summary>
    public int? CniCode { get; init; }
}
