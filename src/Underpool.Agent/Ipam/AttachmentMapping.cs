using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

/// <summary>Conversions between the wire identity of an attachment and the store's records.</summary>
internal static class AttachmentMapping
{
    public static AttachmentKey ToKey(AttachmentIdentity identity) =>
        new(identity.Network, identity.ContainerId, identity.IfName);

    public static string? Validate(AttachmentIdentity? identity)
    {
        if (identity is null)
        {
            return "the request has no attachment (network, containerId, ifName)";
        }

        if (string.IsNullOrWhiteSpace(identity.Network))
        {
            return "attachment.network (the CNI network name) is empty";
        }

        if (string.IsNullOrWhiteSpace(identity.ContainerId))
        {
            return "attachment.containerId (CNI_CONTAINERID) is empty";
        }

        return string.IsNullOrWhiteSpace(identity.IfName) ? "attachment.ifName (CNI_IFNAME) is empty" : null;
    }

    public static AssignedAddress ToAssigned(AllocationRecord record, PoolSpec? pool) => new()
    {
        // A pool deleted with --force leaves no records, so a missing pool here is a race: fall back to a host prefix.
        Address = pool is null
            ? $"{record.Address}/{record.Address.Family.BitLengthOf()}"
            : pool.Subnet.FormatInterfaceAddress(record.Address),
        Gateway = pool?.Gateway?.ToString(),
        Pool = record.Pool,
        Family = record.Address.Family == Core.Net.IpFamily.V4 ? "ipv4" : "ipv6",
        Vlan = pool?.Vlan,
    };

    public static AllocationView ToView(AllocationRecord r) => new()
    {
        Pool = r.Pool,
        Address = r.Address.ToString(),
        Network = r.Attachment.Network,
        ContainerId = r.RuntimeContainerId ?? r.Attachment.ContainerId,
        IfName = r.Attachment.IfName,
        Node = r.Node,
        NetNs = r.NetNs,
        PodNamespace = r.PodNamespace,
        PodName = r.PodName,
        PodUid = r.PodUid,
        CreatedAt = r.CreatedAt,
        Static = r.Static,
    };

    private static int BitLengthOf(this Core.Net.IpFamily family) => Core.Net.IpFamilyNames.BitLength(family);
}
