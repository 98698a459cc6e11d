namespace Underpool.Testing;

/// <summary>Waits for something the agent does in the background, with a deadline instead of a sleep.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
