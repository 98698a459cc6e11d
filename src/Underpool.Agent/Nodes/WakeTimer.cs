namespace Underpool.Agent.Nodes;

/// <summary>A periodic timer that news can also wake early: the loop of a service that acts on a schedule and as soon
/// as something it cares about happens (here: a new uplink MAC learnt).</summary>
internal sealed class WakeTimer : IDisposable
{
    private readonly PeriodicTimer _timer;
    private readonly Func<CancellationToken, Task> _news;
    private Task<bool>? _tick;

    public WakeTimer(TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> news)
    {
        _timer = new PeriodicTimer(period, clock);
        _news = news;
    }

    /// <summary>Waits for the next tick (true) or the next news (false), whichever comes first; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        // A tick still pending from the last wait is kept: a PeriodicTimer allows one waiter at a time.
        _tick ??= _timer.WaitForNextTickAsync(cancellationToken).AsTask();
        Task news = _news(cancellationToken);
        if (await Task.WhenAny(_tick, news).ConfigureAwait(false) == news)
        {
            await news.ConfigureAwait(false);
            return false;
        }

        await _tick.ConfigureAwait(false);
        _tick = null;
        return true;
    }

    public void Dispose() => _timer.Dispose();
}
