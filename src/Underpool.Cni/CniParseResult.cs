using System.Diagnostics.CodeAnalysis;

namespace Underpool.Cni;

/// <summary>The outcome of reading runtime input: the value, or the <see cref="CniError"/> to print.</summary>
public readonly struct CniParseResult<T>
    where T : class
{
    private CniParseResult(T? value, CniError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public CniError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static CniParseResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    public static CniParseResult<T> Failure(CniError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(null, error);
    }
}
