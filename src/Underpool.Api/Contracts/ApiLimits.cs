namespace Underpool.Api.Contracts;

/// <summary>Limits the agent enforces on its API, shared with the clients so they refuse what it would refuse before
/// sending it, and say why.</summary>
public static class ApiLimits
{
    /// <summary>1 MiB: the largest request body the agent reads. A GC request listing ten thousand attachments still fits.</summary>
    public const int MaxRequestBodyBytes = 1 << 20;
}
