namespace Underpool.Agent.Tests;

/// <summary>Background loops log when they start failing and when they work again, not once per round.</summary>
public sealed class FailureStreakTests
{
    [Fact]
    public async Task Three_failing_rounds_then_a_working_one_log_one_failure_and_one_recovery()
    {
        var streak = new FailureStreak();
        var logged = new List<string>();
        int round = 0;

        for (int i = 0; i < 4; i++)
        {
            await streak.RunRoundAsync(
                () => ++round <= 3 ? throw new IOException($"store down (round {round})") : Task.CompletedTask,
                error => logged.Add("failed: " + error),
                () => logged.Add("works again"));
        }

        Assert.Equal(["failed: store down (round 1)", "works again"], logged);
    }

    [Fact]
    public async Task Cancellation_is_not_a_failure_of_the_round()
    {
        var streak = new FailureStreak();

        await Assert.ThrowsAsync<OperationCanceledException>(() => streak.RunRoundAsync(
            () => throw new OperationCanceledException(), _ => Assert.Fail("logged"), () => Assert.Fail("logged")));
    }
}
