using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

/// <summary>Who an attachment belongs to: the workload instance (endpoint) and whether it is static.</summary>
/// <remarks>A static endpoint's records are keyed by its name, not by a container (<see cref="StaticKey"/>), so the
/// next container of the same name finds them; the container attached now is kept in
/// <see cref="AllocationRecord.RuntimeContainerId"/>.</remarks>
internal static class EndpointIdentity
{
    /// <summary>CNI_ARGS key marking one instance static: UNDERPOOL_STATIC=true.</summary>
    public const string StaticArg = "UNDERPOOL_STATIC";

    /// <summary>CNI_ARGS key naming the owning workload: UNDERPOOL_OWNER=StatefulSet/web.</summary>
    public const string OwnerArg = "UNDERPOOL_OWNER";

    /// <summary>Owners of this kind give their instances stable names and expect stable addresses.</summary>
    public const string StatefulSetKind = "StatefulSet";

    private const string StaticPrefix = "static:";

    /// <summary>"namespace/name", or the name alone when the runtime sent no namespace (podman), or null.</summary>
    public static string? Name(string? podNamespace, string? podName) =>
        string.IsNullOrEmpty(podName) ? null : string.IsNullOrEmpty(podNamespace) ? podName : $"{podNamespace}/{podName}";

    public static AttachmentKey StaticKey(string network, string endpointName, string ifName) =>
        new(network, StaticPrefix + endpointName, ifName);

    /// <summary>The endpoint a record belongs to: its name when the runtime gave one, else its container.</summary>
    public static string Of(AllocationRecord record) =>
        record.Static && record.Attachment.ContainerId.StartsWith(StaticPrefix, StringComparison.Ordinal)
            ? record.Attachment.ContainerId[StaticPrefix.Length..]
            : Name(record.PodNamespace, record.PodName) ?? record.Attachment.ContainerId;

    /// <summary>A static endpoint's records once no container runs it: it keeps the addresses, no container, no netns.</summary>
    public static List<AllocationRecord> Stopped(IEnumerable<AllocationRecord> records) =>
        records.Select(r => r with { RuntimeContainerId = null, NetNs = null, Mac = null }).ToList();

    /// <summary>The owner from CNI_ARGS, or an error naming the bad value.</summary>
    public static bool TryReadOwner(IReadOnlyDictionary<string, string> args, out (string Kind, string Name)? owner, out string? error)
    {
        owner = null;
        error = null;
        if (!args.TryGetValue(OwnerArg, out string? value))
        {
            return true;
        }

        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0)
        {
            error = $"CNI_ARGS {OwnerArg}='{value}' must be KIND/NAME, like {OwnerArg}={StatefulSetKind}/web";
            return false;
        }

        owner = (value[..slash], value[(slash + 1)..]);
        return true;
    }

    /// <summary>Whether ADD makes the endpoint static: CNI_ARGS UNDERPOOL_STATIC when given (one instance may opt in or
    /// out), else the config's ipam.static or a StatefulSet owner.</summary>
    public static bool TryReadStatic(CniAddRequest request, (string Kind, string Name)? owner, out bool isStatic, out string? error)
    {
        error = null;
        isStatic = request.Static || owner?.Kind == StatefulSetKind;
        if (request.Args.TryGetValue(StaticArg, out string? value))
        {
            if (!bool.TryParse(value, out bool asked))
            {
                error = $"CNI_ARGS {StaticArg}='{value}' must be true or false";
                return false;
            }

            isStatic = asked;
        }

        return true;
    }
}
