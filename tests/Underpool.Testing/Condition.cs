namespace Underpool.Testing;

/// <summary>Waits for a condition with a deadline instead of sleeping and hoping.</summary>
public static class Condition
{
    public static async Task WaitUntilAsync(
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan timeout,
        string description,
        CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pause = TimeSpan.FromMilliseconds(10);
        try
        {
            while (!await condition(deadline.Token))
            {
                await Task.Delay(pause, deadline.Token);
                // Back off gently: most lab conditions hold within a few milliseconds.
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F1} s waiting for {description}.");
        }
    }
}
