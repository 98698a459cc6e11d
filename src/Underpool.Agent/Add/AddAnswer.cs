using Underpool.Agent.Attachments;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Add;

/// <summary>The answer to an ADD: the attachment's addresses, lowest family first, with the routes of their pools.</summary>
internal sealed class AddAnswer(PoolRegistry registry)
{
    public CniAddResponse From(IReadOnlyList<AllocationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        IReadOnlyDictionary<string, PoolSpec> pools = registry.Pools;
        var routes = new List<AssignedRoute>();
        foreach (PoolSpec pool in records.Select(r => pools.GetValueOrDefault(r.Pool)).OfType<PoolSpec>())
        {
            routes.AddRange(pool.Routes.Select(route => new AssignedRoute
            {
                Dst = route.Destination.ToString(),
                Gw = (route.Gateway ?? pool.Gateway)?.ToString(),
            }));
        }

        return new CniAddResponse
        {
            Ips = records.OrderBy(r => r.Address.Family)
                .Select(r => AttachmentMapping.ToAssigned(r, pools.GetValueOrDefault(r.Pool)))
                .ToList(),
            Routes = routes,
        };
    }
}
