namespace Underpool.Agent.Failures;

/// <summary>Why a request failed, as a value: it becomes an HTTP problem for clients and a CNI error for runtimes.</summary>
/// <param name="Type">Stable id for scripts ("pool-exhausted", "pool-overlap", ...).</param>
/// <param name="Status">The HTTP status: 4xx for the caller's mistake or a state the caller must change, 5xx for ours.</param>
/// <param name="Detail">What happened and what to do, for a person.</param>
/// <param name="CniCode">The CNI error code the plugin reports.</param>
internal sealed record Failure(string Type, int Status, string Detail, int CniCode)
{
    public static Failure InvalidRequest(string detail) => new("invalid-request", 400, detail, 7);

    public static Failure NotFound(string type, string detail) => new(type, 404, detail, 7);

    public static Failure Conflict(string type, string detail) => new(type, 409, detail, 7);

    public static Failure StoreUnavailable(string detail) => new("store-unavailable", 503, detail, 11);
}
