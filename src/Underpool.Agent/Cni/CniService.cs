using Microsoft.Extensions.Logging;
using Underpool.Agent.Add;
using Underpool.Agent.Failures;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Cni;

/// <summary>The CNI verbs as the agent serves them to the plugin: ADD, DEL, CHECK and GC, each a type of its own.</summary>
/// <remarks>A store that is briefly unavailable (an etcd leader election, a busy SQLite file) is retried for ADD and DEL
/// within <see cref="AgentOptions.StoreRetryBudget"/>: both are idempotent per attachment, so a retry after a commit
/// whose outcome was lost finds that commit's addresses instead of taking new ones.</remarks>
internal sealed partial class CniService(
    AddFlow add, CniDel del, CniCheck check, CniGc gc, AgentMetrics metrics, AgentOptions options, TimeProvider clock, ILogger<CniService> log)
{
    /// <summary>Allocates one address per requested family, all or nothing; a repeated ADD returns what it got before,
    /// and a static endpoint coming back under its name gets the addresses it kept.</summary>
    public Task<Outcome<CniAddResponse>> AddAsync(CniAddRequest request, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(() => add.RunOnceAsync(request, cancellationToken), options.StoreRetryBudget, clock, OnStoreRetry, cancellationToken);

    /// <summary>Releases what the attachment holds; an unknown attachment is not an error.</summary>
    public Task<Outcome<CniDelResponse>> DelAsync(CniDelRequest request, CancellationToken cancellationToken) =>
        StoreRetry.RunAsync(() => del.RunOnceAsync(request, cancellationToken), options.StoreRetryBudget, clock, OnStoreRetry, cancellationToken);

    public Task<Outcome<CniCheckResponse>> CheckAsync(CniCheckRequest request, CancellationToken cancellationToken) =>
        check.RunAsync(request, cancellationToken);

    public Task<Outcome<CniGcResponse>> GcAsync(CniGcRequest request, CancellationToken cancellationToken) =>
        gc.RunAsync(request, cancellationToken);

    private void OnStoreRetry(Exception e, int retry)
    {
        metrics.StoreRetried();
        LogStoreRetry(retry, e.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "store unavailable (retry {Retry}): {Error}; retrying while the budget lasts")]
    private partial void LogStoreRetry(int retry, string error);
}
