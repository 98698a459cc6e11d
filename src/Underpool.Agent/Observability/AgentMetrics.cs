using Prometheus;
using Underpool.Agent.Pools;

namespace Underpool.Agent.Observability;

/// <summary>The agent's Prometheus metrics, on a registry of its own so several agents can live in one test process.</summary>
public sealed class AgentMetrics
{
    private readonly Counter _allocations;
    private readonly Counter _releases;
    private readonly Counter _failures;
    private readonly Counter _collisions;
    private readonly Counter _storeRetries;
    private readonly Histogram _latency;
    private readonly Gauge _poolAllocated;
    private readonly Gauge _poolCapacity;
    private readonly Counter _conflicts;
    private readonly Counter _settled;
    private readonly Histogram _probeDuration;

    public AgentMetrics(PoolRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = Metrics.NewCustomRegistry();
        MetricFactory factory = Metrics.WithCustomRegistry(Registry);
        _allocations = factory.CreateCounter(
            "underpool_allocations_total", "Addresses handed out, by pool.", new CounterConfiguration { LabelNames = ["pool"] });
        _releases = factory.CreateCounter(
            "underpool_releases_total",
            "Addresses released, by pool and reason (del, gc, sweep, pool_delete, ...).",
            new CounterConfiguration { LabelNames = ["pool", "reason"] });
        _failures = factory.CreateCounter(
            "underpool_failures_total",
            "Requests that failed, by verb and problem type (pool-exhausted, store-unavailable, ...).",
            new CounterConfiguration { LabelNames = ["verb", "type"] });
        _collisions = factory.CreateCounter(
            "underpool_commit_collisions_total",
            "Candidates found already taken at commit (another agent won the address); each costs one re-pick.");
        _storeRetries = factory.CreateCounter(
            "underpool_store_retries_total",
            "ADDs and DELs retried because the store was briefly unavailable (e.g. an etcd leader election).");
        _latency = factory.CreateHistogram(
            "underpool_request_duration_seconds",
            "Time the agent spent on a CNI request, by verb.",
            new HistogramConfiguration
            {
                LabelNames = ["verb"],

                // 50 µs to ~1.6 s: an ADD on the embedded store takes well under a millisecond.
                Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16),
            });
        _poolAllocated = factory.CreateGauge(
            "underpool_pool_allocated", "Addresses allocated in each pool.", new GaugeConfiguration { LabelNames = ["pool"] });
        _poolCapacity = factory.CreateGauge(
            "underpool_pool_capacity",
            "Addresses each pool can hand out (ranges less excluded and gateway).",
            new GaugeConfiguration { LabelNames = ["pool"] });

        _conflicts = factory.CreateCounter(
            "underpool_conflicts_total",
            "Candidates a foreign host answered for (ARP or NDP) while the store showed them free, quarantined instead of handed out, by pool.",
            new CounterConfiguration { LabelNames = ["pool"] });
        _settled = factory.CreateCounter(
            "underpool_probe_settled_total",
            "Candidates a probe found taken that were set aside without quarantine, by pool and reason: contended (another "
            + "prober, most often another agent, tried it at the same moment), stale (the store shows it allocated: a pick "
            + "from a view a moment behind), node or pod (one of our own nodes or pods answered for it).",
            new CounterConfiguration { LabelNames = ["pool", "reason"] });
        _probeDuration = factory.CreateHistogram(
            "underpool_probe_duration_seconds",
            "Time one address probe took, by result (clear, held, contended, error); a clear probe takes timeout x attempts.",
            new HistogramConfiguration
            {
                LabelNames = ["result"],

                // 100 µs to ~1.6 s: an answer comes in well under a millisecond, silence costs the whole budget.
                Buckets = Histogram.ExponentialBuckets(0.0001, 2, 15),
            });
        Gauge quarantined = factory.CreateGauge(
            "underpool_quarantined_addresses", "Addresses in quarantine (found in conflict, not handed out), cluster-wide.");

        // Usage gauges are read from the registry at scrape time, so they cost nothing on the allocation path.
        Registry.AddBeforeCollectCallback(() =>
        {
            quarantined.Set(registry.Quarantined.Count);
            foreach (string pool in _poolAllocated.GetAllLabelValues().Select(l => l[0]).ToList())
            {
                if (registry.Usage(pool) is null)
                {
                    _poolAllocated.RemoveLabelled(pool);
                    _poolCapacity.RemoveLabelled(pool);
                }
            }

            foreach (string pool in registry.Pools.Keys)
            {
                if (registry.Usage(pool) is { } usage)
                {
                    _poolAllocated.WithLabels(pool).Set(usage.Used);
                    _poolCapacity.WithLabels(pool).Set((double)usage.Capacity);
                }
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public void Allocated(string pool) => _allocations.WithLabels(pool).Inc();

    public void Released(string pool, string reason) => _releases.WithLabels(pool, reason).Inc();

    public void Failed(string verb, string type) => _failures.WithLabels(verb, type).Inc();

    public void Collided(int count) => _collisions.Inc(count);

    public void StoreRetried() => _storeRetries.Inc();

    public void Conflicted(string pool) => _conflicts.WithLabels(pool).Inc();

    public void Settled(string pool, Conflicts.Verdict verdict) => _settled.WithLabels(pool, verdict switch
    {
        Conflicts.Verdict.Contended => "contended",
        Conflicts.Verdict.Stale => "stale",
        Conflicts.Verdict.OurNode => "node",
        Conflicts.Verdict.OurPod => "pod",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "only candidates set aside without quarantine are counted here"),
    }).Inc();

    public void Probed(string result, TimeSpan elapsed) => _probeDuration.WithLabels(result).Observe(elapsed.TotalSeconds);

    public void Observe(string verb, TimeSpan elapsed) => _latency.WithLabels(verb).Observe(elapsed.TotalSeconds);
}
