using Underpool.Agent.Hosting;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>Whether this agent can serve: it can once it has reached its store since start, and while the store answers
/// within a short deadline (a store that refuses writes, such as SQLite on a full disk, fails its ping).</summary>
public sealed class AgentStatusService
{
    private static readonly TimeSpan PingDeadline = TimeSpan.FromSeconds(2);
    private readonly IIpamStore _store;
    private readonly AgentOptions _options;
    private readonly StoreReadiness _readiness;

    public AgentStatusService(IIpamStore store, AgentOptions options, StoreReadiness readiness)
    {
        _store = store;
        _options = options;
        _readiness = readiness;
    }

    public static string Version { get; } =
        typeof(AgentStatusService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public async Task<AgentStatus> GetAsync(CancellationToken cancellationToken)
    {
        string? reason = _readiness.Reason ?? await PingAsync(cancellationToken).ConfigureAwait(false);
        return new AgentStatus
        {
            Ready = reason is null,
            Node = _options.Node,
            Store = _store.Description,
            Version = Version,
            Reason = reason,
        };
    }

    /// <summary>Null when the store answers; else why not.</summary>
    private async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PingDeadline);
        try
        {
            await _store.PingAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the store ({_store.Description}) did not answer within {PingDeadline.TotalSeconds:0} s";
        }
        catch (StoreUnavailableException e)
        {
            // The store's own words name it.
            return e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"the store ({_store.Description}) failed: {e.Message}";
        }

        return null;
    }
}
