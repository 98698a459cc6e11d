using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store.Contract;

/// <summary>Attachments and allocation records the store tests commit.</summary>
public static class SampleRecords
{
    /// <summary>Sub-millisecond ticks and a non-UTC offset: the stored instant must come back exact.</summary>
    public static readonly DateTimeOffset Created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    public static AttachmentKey Attachment(string container = "c1", string ifname = "eth0", string network = "underlay") =>
        new(network, container, ifname);

    /// <summary>A record of <paramref name="address"/> picked from <paramref name="pool"/> as the store returned it
    /// (so with its generation), every owner field set and told apart by container.</summary>
    public static AllocationRecord Record(PoolSpec pool, string address, AttachmentKey? attachment = null, string node = "node1")
    {
        AttachmentKey key = attachment ?? Attachment();
        return new AllocationRecord
        {
            Pool = pool.Name,
            PoolGeneration = pool.Generation,
            Address = IpAddress.Parse(address),
            Attachment = key,
            Node = node,
            NetNs = $"/var/run/netns/{key.ContainerId}",
            PodNamespace = "shop",
            PodName = $"web-{key.ContainerId}",
            PodUid = $"0f8b6a8e-1d2c-4e5f-9a0b-{key.ContainerId}",
            CreatedAt = Created,
        };
    }
}
