namespace Underpool.Lab.Tests;

/// <summary>The error object a plugin prints on failure: <c>{code, msg, details}</c>.</summary>
public sealed record CniPluginError(int Code, string Message, string? Details)
{
    public override string ToString() => Details is null ? $"{Code}: {Message}" : $"{Code}: {Message} ({Details})";
}
