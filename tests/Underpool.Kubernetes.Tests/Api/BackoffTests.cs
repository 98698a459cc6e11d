using Underpool.Kubernetes.Api;

namespace Underpool.Kubernetes.Tests.Api;

public sealed class BackoffTests
{
    private static readonly Backoff Policy = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(5, 1600)]
    [InlineData(6, 2000)]
    [InlineData(60, 2000)]
    public void The_wait_doubles_per_failure_up_to_the_cap_and_jitter_takes_at_most_half(int failures, double ceilingMs)
    {
        Assert.Equal(ceilingMs / 2, Policy.Delay(failures, 0).TotalMilliseconds, 3);
        Assert.Equal(ceilingMs, Policy.Delay(failures, 0.999999).TotalMilliseconds, 0);
    }

    [Fact]
    public void Random_draws_spread_the_waits()
    {
        HashSet<double> waits = Enumerable.Range(0, 50).Select(_ => Policy.Delay(4).TotalMilliseconds).ToHashSet();

        Assert.True(waits.Count > 10);
        Assert.All(waits, w => Assert.InRange(w, 400, 800));
    }
}
