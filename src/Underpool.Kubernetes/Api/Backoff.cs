namespace Underpool.Kubernetes.Api;

/// <summary>Exponential back-off with jitter: attempt n waits about <see cref="Initial"/>·2ⁿ, capped at
/// <see cref="Max"/>, and a random half of each wait, so that the agents of a whole cluster spread their retries
/// after an API server comes back instead of arriving together.</summary>
internal sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    public static Backoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>The wait before retry number <paramref name="failures"/> (1 after the first failure); <paramref name="unit"/>
    /// in [0, 1) is the random draw, a parameter so tests can pin it.</summary>
    public TimeSpan Delay(int failures, double unit)
    {
        double exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        double ceiling = Math.Min(Initial.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * unit));
    }

    public TimeSpan Delay(int failures) => Delay(failures, Random.Shared.NextDouble());

    public IReadOnlyList<string> Validate(string what) =>
        Initial <= TimeSpan.Zero || Max < Initial
            ? [$"{what} needs 0 < initial ({Initial.TotalMilliseconds} ms) <= max ({Max.TotalMilliseconds} ms)"]
            : [];
}
