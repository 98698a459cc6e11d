using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Pools;

/// <summary>Whether this agent can serve: it can when its store answers within a short deadline.</summary>
public sealed class AgentStatusService
{
    private static readonly TimeSpan PingDeadline = TimeSpan.FromSeconds(2);
    private readonly IIpamStore _store;
    private readonly AgentOptions _options;

    public AgentStatusService(IIpamStore store, AgentOptions options)
    {
        _store = store;
        _options = options;
    }

    public static string Version { get; } =
        typeof(AgentStatusService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public async Task<AgentStatus> GetAsync(CancellationToken cancellationToken)
    {
        string? reason = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PingDeadline);
        try
        {
            await _store.PingAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"the store ({_store.Description}) did not answer within {PingDeadline.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = $"the store ({_store.Description}) failed: {e.Message}";
        }

        return new AgentStatus
        {
            Ready = reason is null,
            Node = _options.Node,
            Store = _store.Description,
            Version = Version,
            Reason = reason,
        };
    }
}
