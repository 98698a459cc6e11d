namespace Underpool.Probe.Tests;

public sealed class ProbeSettingsTests
{
    [Fact]
    public void The_default_budget_keeps_an_unanswered_probe_far_under_the_100_ms_add_budget() =>
        Assert.True(ProbeSettings.Default.Budget <= TimeSpan.FromMilliseconds(40), ProbeSettings.Default.Budget.ToString());
}
