using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Import;

/// <summary>How imported allocations are keyed when their source did not record what Underpool keys by.</summary>
/// <remarks>
/// Underpool keys an attachment by (network, container id, interface), as the CNI spec does, so the runtime's DEL of
/// that container finds it. Spiderpool 0.7 and later keep no container id (an allocation there belongs to a pod uid):
/// such an attachment is keyed by its pod, "pod:UID" in place of the container id, and a DEL that finds nothing under
/// its container tries its pod (<see cref="PodKeyOf"/>). The runtime never lists such a key among its valid
/// attachments, so CNI GC leaves pod-keyed attachments alone (they are released by their pod's DEL, by
/// `underpoolctl endpoint release NAMESPACE/NAME`, or with their node).
/// </remarks>
internal static class ImportKeys
{
    /// <summary>The node of an imported allocation whose source does not say where its pod runs (Whereabouts,
    /// Spiderpool): not a DNS name, so no agent is ever this node and no node's GC or dead-node reaping touches it;
    /// `underpoolctl node forget ~imported` releases them all at once.</summary>
    public const string UnknownNode = "~imported";

    private const string PodPrefix = "pod:";

    /// <summary>The key of an attachment of <paramref name="network"/> that only its pod identifies.</summary>
    public static AttachmentKey PodKey(string network, string podUid, string ifName) => new(network, PodPrefix + podUid, ifName);

    /// <summary>The pod key a CNI request's attachment would have been imported under, or null without a pod uid.</summary>
    public static AttachmentKey? PodKeyOf(AttachmentIdentity who)
    {
        ArgumentNullException.ThrowIfNull(who);
        return string.IsNullOrEmpty(who.PodUid) ? null : PodKey(who.Network, who.PodUid, who.IfName);
    }

    public static bool IsPodKeyed(AttachmentKey attachment) => attachment.ContainerId.StartsWith(PodPrefix, StringComparison.Ordinal);
}
