using Underpool.Api;
using Underpool.Api.Contracts;

namespace Underpool.Footprint;

/// <summary>The two pools every measurement allocates from, and the requests it sends. The IPv4 pool is a /15 so that
/// --allocations 100000 (issue 16's figure) fits.</summary>
internal static class Pools
{
    public static void Create(AgentClient client)
    {
        foreach (PoolDefinition pool in new[]
        {
            // A /14: room for the 100,000 single-stack allocations issue 16 asks the memory of.
            new PoolDefinition { Name = "fp-v4", Subnet = "10.68.0.0/14" },
            new PoolDefinition { Name = "fp-v6", Subnet = "fd00:70::/64" },
        })
        {
            ApiResult<PoolView> created = client.CreatePool(pool);
            if (!created.IsSuccess)
            {
                throw new InvalidOperationException($"pool {pool.Name}: {created.Problem.Detail}");
            }
        }
    }

    public static CniAddRequest DualStackAdd(string container) => new()
    {
        Attachment = Attachment(container),
        Pools = new PoolChoice { Ipv4 = ["fp-v4"], Ipv6 = ["fp-v6"] },
    };

    public static CniAddRequest Ipv4Add(string container) => new()
    {
        Attachment = Attachment(container),
        Pools = new PoolChoice { Ipv4 = ["fp-v4"] },
    };

    public static AttachmentIdentity Attachment(string container) => new()
    {
        Network = "footprint",
        ContainerId = container,
        IfName = "eth0",
        NetNs = $"/var/run/netns/{container}",
    };
}
