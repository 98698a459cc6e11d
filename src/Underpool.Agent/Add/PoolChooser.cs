using Microsoft.Extensions.Logging;
using Underpool.Agent.Failures;
using Underpool.Agent.Nodes;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>Chooses the pools an ADD may draw from on this node, one list per family in order of preference: those the
/// network names (or the default pools), narrowed to the application's own pools when it has some.</summary>
internal sealed class PoolChooser(PoolRegistry registry, LocalNode node, ILogger<PoolChooser> log)
{
    public Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> Choose(AddIntent want)
    {
        ArgumentNullException.ThrowIfNull(want);
        IReadOnlyDictionary<string, PoolSpec> pools = registry.Pools;
        Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> named = Select(want.Request.Pools, pools);
        if (!named.IsSuccess)
        {
            return named;
        }

        IReadOnlyList<IReadOnlyList<PoolSpec>> families = want.App is { } app
            ? AppPoolSelection.Narrow(named.Value!, app, pools, registry.Problems, node.Identity, log)
            : named.Value!;
        if (want.Asked.CheckPrefixes(families) is { } wrongPrefix)
        {
            return wrongPrefix;
        }

        return Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>>.Of(families);
    }

    private Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> Select(PoolChoice choice, IReadOnlyDictionary<string, PoolSpec> pools)
    {
        IReadOnlyList<string> v4 = choice.Ipv4 ?? [];
        IReadOnlyList<string> v6 = choice.Ipv6 ?? [];
        return v4.Count == 0 && v6.Count == 0 ? Defaults(pools) : Named(pools, v4, v6);
    }

    /// <summary>No pools named: each family's default pools; dual-stack when both families have one.</summary>
    private Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> Defaults(IReadOnlyDictionary<string, PoolSpec> pools)
    {
        var families = new List<IReadOnlyList<PoolSpec>>(2);
        foreach (IpFamily family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            IReadOnlyList<PoolSpec> defaults = PoolSelector.Select(family, [], pools, node.Identity, out SelectionFailure? failure, registry.Problems);
            if (failure is null)
            {
                families.Add(defaults);
            }
            else if (failure.Kind != SelectionFailureKind.NoDefaultPool)
            {
                return AddFailures.FromSelection(failure);
            }
        }

        if (families.Count == 0)
        {
            return AddFailures.NoPoolConfigured();
        }

        return families;
    }

    private Outcome<IReadOnlyList<IReadOnlyList<PoolSpec>>> Named(
        IReadOnlyDictionary<string, PoolSpec> pools, IReadOnlyList<string> v4, IReadOnlyList<string> v6)
    {
        var families = new List<IReadOnlyList<PoolSpec>>(2);
        foreach ((IpFamily family, IReadOnlyList<string> names) in new[] { (IpFamily.V4, v4), (IpFamily.V6, v6) })
        {
            if (names.Count == 0)
            {
                continue;
            }

            IReadOnlyList<PoolSpec> selected = PoolSelector.Select(family, names, pools, node.Identity, out SelectionFailure? failure, registry.Problems);
            if (failure is not null)
            {
                return AddFailures.FromSelection(failure);
            }

            families.Add(selected);
        }

        return families;
    }
}
