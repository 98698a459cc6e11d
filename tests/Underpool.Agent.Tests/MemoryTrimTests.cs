using Underpool.Agent.Hosting;

namespace Underpool.Agent.Tests;

/// <summary>After a burst of work the agent gives its heap back once things are quiet, and only then. The decision reads
/// the process's allocation counter, so these tests run alone, after the parallel ones.</summary>
[Collection(nameof(MemoryTrimTests))]
[CollectionDefinition(nameof(MemoryTrimTests), DisableParallelization = true)]
public sealed class MemoryTrimTests
{
    [Fact]
    public void A_burst_followed_by_a_quiet_interval_runs_one_full_collection()
    {
        var trim = new MemoryTrim(TimeProvider.System);
        Allocate(MemoryTrim.BurstBytes * 2);
        Assert.False(trim.TryTrim()); // the interval that saw the burst is not quiet
        int fullCollections = GC.CollectionCount(GC.MaxGeneration);

        Assert.True(trim.TryTrim());
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections);
        Assert.False(trim.TryTrim()); // nothing allocated since: no second trim
    }

    [Fact]
    public void No_collection_while_the_work_goes_on()
    {
        var trim = new MemoryTrim(TimeProvider.System);
        Allocate(MemoryTrim.BurstBytes * 2);
        Assert.False(trim.TryTrim());

        Allocate(MemoryTrim.QuietBytes * 4);

        Assert.False(trim.TryTrim());
    }

    [Fact]
    public void Quiet_intervals_without_a_burst_before_them_run_no_collection()
    {
        var trim = new MemoryTrim(TimeProvider.System);

        Assert.False(trim.TryTrim());
        Assert.False(trim.TryTrim());
    }

    /// <summary>Allocates (and drops) about <paramref name="bytes"/> in 64 KiB arrays, as request handling would.</summary>
    private static void Allocate(long bytes)
    {
        for (long done = 0; done < bytes; done += 64 * 1024)
        {
            GC.KeepAlive(new byte[64 * 1024]);
        }
    }
}
