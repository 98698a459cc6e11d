using Underpool.Api.Contracts;
using Underpool.Cni;
using Underpool.Core.Pools;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

/// <summary>Conversions between the wire identity of an attachment and the store's records.</summary>
internal static class AttachmentMapping
{
    public static AttachmentKey ToKey(AttachmentIdentity identity) =>
        new(identity.Network, identity.ContainerId, identity.IfName);

    /// <summary>Why the attachment cannot be served, or null: the same rules, in the same words, as the plugin applies
    /// to the runtime's CNI_* variables, since other clients call this API too.</summary>
    /// <param name="checkNetNs">False for DEL, which needs no namespace: refusing one would leave the addresses held.</param>
    public static string? Validate(AttachmentIdentity? identity, bool checkNetNs = true)
    {
        if (identity is null)
        {
            return "the request has no attachment (network, containerId, ifName)";
        }

        if (string.IsNullOrEmpty(identity.Network))
        {
            return "attachment.network (the CNI network name) is empty";
        }

        if (string.IsNullOrEmpty(identity.ContainerId))
        {
            return "attachment.containerId (CNI_CONTAINERID) is empty";
        }

        if (string.IsNullOrEmpty(identity.IfName))
        {
            return "attachment.ifName (CNI_IFNAME) is empty";
        }

        return Check("attachment.network", identity.Network, CniNames.NetworkNameProblem(identity.Network))
               ?? Check("attachment.containerId", identity.ContainerId, CniNames.ContainerIdProblem(identity.ContainerId))
               ?? Check("attachment.ifName", identity.IfName, CniNames.InterfaceNameProblem(identity.IfName))
               ?? (checkNetNs && !string.IsNullOrEmpty(identity.NetNs)
                   ? Check("attachment.netNs", identity.NetNs, CniNames.NetNsProblem(identity.NetNs))
                   : null);
    }

    /// <summary>Why <paramref name="network"/> cannot name a CNI network, or null.</summary>
    public static string? ValidateNetwork(string? network) =>
        string.IsNullOrEmpty(network)
            ? "network (the CNI network name) is empty"
            : Check("network", network, CniNames.NetworkNameProblem(network));

    private static string? Check(string field, string value, string? problem) =>
        problem is null ? null : $"{field} {CniNames.Quote(value)} {problem}";

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
