using System.Diagnostics.CodeAnalysis;
using Underpool.Api.Contracts;

namespace Underpool.Api;

/// <summary>An agent answer: the value, or the problem the agent (or the transport) reported.</summary>
public readonly struct ApiResult<T>
    where T : class
{
    private ApiResult(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public Problem? Problem { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsSuccess => Problem is null;

    public static ApiResult<T> Success(T value) => new(value, null);

    public static ApiResult<T> Failure(Problem problem) => new(null, problem);
}
