using System.Globalization;

namespace Underpool.StoreLimit;

/// <summary>One timed load: how many operations succeeded in how long, and how many extra tries they needed.</summary>
internal sealed record LoadResult(string Name, int Operations, TimeSpan Elapsed, long Retries, int Failures)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name,-28} {Operations,6} ops in {Elapsed.TotalMilliseconds,8:F0} ms = {PerSecond,7:F0}/s, retries {Retries,6}, failures {Failures}");
}
