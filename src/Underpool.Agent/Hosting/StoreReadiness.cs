namespace Underpool.Agent.Hosting;

/// <summary>Whether the agent has reached its store since it started (<see cref="StoreStartup"/>), and if not, why:
/// STATUS reports it, the API refuses store work until then, and the background loops wait for it.</summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _waitingFor = "the agent is starting";

    public bool IsReady => _reached.Task.IsCompleted;

    /// <summary>Why the store has not been reached yet (the newest failure); null once it has.</summary>
    public string? Reason => IsReady ? null : Volatile.Read(ref _waitingFor);

    /// <summary>A readiness that is already reached (tests, and services used without the host).</summary>
    public static StoreReadiness Reached()
    {
        var readiness = new StoreReadiness();
        readiness.MarkReached();
        return readiness;
    }

    public Task WhenReadyAsync(CancellationToken cancellationToken) => _reached.Task.WaitAsync(cancellationToken);

    internal void MarkWaiting(string reason) => Volatile.Write(ref _waitingFor, reason);

    internal void MarkReached() => _reached.TrySetResult();
}
