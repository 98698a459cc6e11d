using Underpool.Store;

namespace Underpool.Agent.Cni;

/// <summary>Runs an idempotent store operation again while the store is unavailable, with a growing pause, until a
/// budget is spent; then the last <see cref="StoreUnavailableException"/> reaches the caller (HTTP 503, CNI 11).</summary>
internal static class StoreRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public static async Task<T> RunAsync<T>(
        Func<Task<T>> operation, TimeSpan budget, TimeProvider clock, Action<Exception, int> onRetry, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = clock.GetUtcNow() + budget;
        TimeSpan pause = FirstPause;
        for (int retry = 1; ; retry++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (StoreUnavailableException e) when (clock.GetUtcNow() + pause < deadline && !cancellationToken.IsCancellationRequested)
            {
                onRetry(e, retry);
            }

            await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }
}
