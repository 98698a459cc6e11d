namespace Underpool.Agent.Nodes;

/// <summary>A periodic timer that news can also wake early: the loop of a service that acts on a schedule and as soon
/// as something it cares about happens (here: a new uplink MAC learnt).</summary>
/// <remarks>Whichever wait loses is kept for the next call rather than started again: a PeriodicTimer allows one
/// waiter at a time, and a fresh wait for news on every tick would pile up registrations for as long as no news comes.</remarks>
internal sealed class WakeTimer : IDisposable
{
    private readonly PeriodicTimer _timer;
    private readonly Func<CancellationToken, Task> _news;
    private Task<bool>? _tick;
    private Task? _next;

    public WakeTimer(TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> news)
    {
        _timer = new PeriodicTimer(period, clock);
        _news = news;
    }

    /// <summary>Waits for the next tick (true) or the next news (false), whichever comes first; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires. One caller at a time,
    /// always with the same token.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        _tick ??= _timer.WaitForNextTickAsync(cancellationToken).AsTask();
        _next ??= _news(cancellationToken);
        if (await Task.WhenAny(_tick, _next).ConfigureAwait(false) == _next)
        {
            Task news = _next;
            _next = null;
            await news.ConfigureAwait(false);
            return false;
        }

        Task<bool> tick = _tick;
        _tick = null;
        await tick.ConfigureAwait(false);
        return true;
    }

    public void Dispose() => _timer.Dispose();
}
