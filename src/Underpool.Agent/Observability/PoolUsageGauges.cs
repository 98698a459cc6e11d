using Prometheus;
using Underpool.Agent.Pools;
using Underpool.Store;

namespace Underpool.Agent.Observability;

/// <summary>The pool usage gauges: read from the in-memory view at scrape time, so they cost nothing on the allocation
/// path; the view catches up with the store first, so they are the store's figures, not those of the last ADD this
/// agent happened to serve.</summary>
internal static class PoolUsageGauges
{
    public static void Register(MetricFactory factory, CollectorRegistry scrape, PoolRegistry registry)
    {
        Gauge allocated = factory.CreateGauge(
            "underpool_pool_allocated",
            "Addresses allocated in each pool, as the store holds them as of underpool_view_revision (this agent's picks "
            + "not committed yet are not counted).", new GaugeConfiguration { LabelNames = ["pool"] });
        Gauge capacity = factory.CreateGauge(
            "underpool_pool_capacity",
            "Addresses each pool can hand out (ranges less excluded and gateway).",
            new GaugeConfiguration { LabelNames = ["pool"] });
        Gauge quarantined = factory.CreateGauge(
            "underpool_quarantined_addresses", "Addresses in quarantine (found in conflict, not handed out), cluster-wide.");
        Gauge viewRevision = factory.CreateGauge(
            "underpool_view_revision",
            "The store journal revision the pool figures (underpool_pool_allocated, underpool_quarantined_addresses) are "
            + "as of: the agent catches its view up before each scrape.");
        Gauge viewCurrent = factory.CreateGauge(
            "underpool_view_current",
            "1 when the agent caught its view up with the store for this scrape; 0 when the store could not be read, "
            + "so the pool figures are as of underpool_view_revision and may lag.");

        scrape.AddBeforeCollectCallback(async cancellationToken =>
        {
            viewCurrent.Set(await TryCatchUpAsync(registry, cancellationToken).ConfigureAwait(false) ? 1 : 0);
            viewRevision.Set(registry.Revision);
            quarantined.Set(registry.Quarantined.Count);
            foreach (string pool in allocated.GetAllLabelValues().Select(l => l[0]).ToList())
            {
                if (registry.Usage(pool) is null)
                {
                    allocated.RemoveLabelled(pool);
                    capacity.RemoveLabelled(pool);
                }
            }

            foreach (string pool in registry.Pools.Keys)
            {
                if (registry.Usage(pool) is { } usage)
                {
                    allocated.WithLabels(pool).Set(usage.Used);
                    capacity.WithLabels(pool).Set((double)usage.Capacity);
                }
            }
        });
    }

    // A scrape must answer while the store is away (that is when an operator looks): the figures then say their age.
    private static async Task<bool> TryCatchUpAsync(PoolRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            await registry.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }
}
