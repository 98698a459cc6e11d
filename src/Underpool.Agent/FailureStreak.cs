namespace Underpool.Agent;

/// <summary>Whether a job that runs again and again is failing, so it logs when it starts failing and when it works
/// again instead of once per attempt (a store down for an hour would otherwise fill the log).</summary>
internal sealed class FailureStreak
{
    private bool _failing;

    /// <summary>Records a failure; true for the first of a streak (log it).</summary>
    public bool Begins()
    {
        bool first = !_failing;
        _failing = true;
        return first;
    }

    /// <summary>Records a success; true when it ends a streak (log the recovery).</summary>
    public bool Ends()
    {
        bool ended = _failing;
        _failing = false;
        return ended;
    }

    /// <summary>One round of a background loop: a failure (anything but cancellation) must not end the loop, and is
    /// logged only when a streak begins; the round that works again is logged too.</summary>
    public async Task RunRoundAsync(Func<Task> round, Action<string> logFailed, Action logRecovered)
    {
        try
        {
            await round().ConfigureAwait(false);
            if (Ends())
            {
                logRecovered();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (Begins())
            {
                logFailed(e.Message);
            }
        }
    }
}
