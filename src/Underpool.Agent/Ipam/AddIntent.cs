using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Store;

namespace Underpool.Agent.Ipam;

/// <summary>What an ADD asks for, read and validated once: whose attachment, static or not, which exact addresses.</summary>
internal sealed record AddIntent(
    CniAddRequest Request,
    AttachmentKey Key,
    bool IsStatic,
    string? EndpointName,
    (string Kind, string Name)? Owner,
    RequestedAddresses Asked,
    string? App)
{
    /// <summary>The exact addresses asked for, one per family.</summary>
    public IReadOnlyDictionary<IpFamily, IpAddress> Requested => Asked.ByFamily;

    /// <summary>CNI_ARGS key naming the application whose application pools the ADD draws from: UNDERPOOL_APP=shop/web
    /// (or UNDERPOOL_APP=web with K8S_POD_NAMESPACE=shop).</summary>
    public const string AppArg = "UNDERPOOL_APP";

    public static Outcome<AddIntent> From(CniAddRequest request)
    {
        if (AttachmentMapping.Validate(request.Attachment) is { } invalid)
        {
            return Failure.InvalidRequest(invalid);
        }

        if (!EndpointIdentity.TryReadOwner(request.Args, out (string Kind, string Name)? owner, out string? ownerError))
        {
            return Failure.InvalidRequest(ownerError!);
        }

        if (!EndpointIdentity.TryReadStatic(request, owner, out bool isStatic, out string? staticError))
        {
            return Failure.InvalidRequest(staticError!);
        }

        Outcome<RequestedAddresses> requested = RequestedAddresses.Parse(request.RequestedIps);
        if (!requested.IsSuccess)
        {
            return requested.Failure;
        }

        AttachmentIdentity who = request.Attachment;
        string? app = null;
        if (request.Args.TryGetValue(AppArg, out string? appArg))
        {
            app = appArg.Contains('/', StringComparison.Ordinal) || string.IsNullOrEmpty(who.PodNamespace) ? appArg : $"{who.PodNamespace}/{appArg}";
            if (!Core.Pools.AppKey.IsValid(app))
            {
                return Failure.InvalidRequest($"CNI_ARGS {AppArg}='{appArg}' must be NAMESPACE/NAME (or NAME with K8S_POD_NAMESPACE), like {AppArg}=shop/web");
            }
        }

        string? endpoint = EndpointIdentity.Name(who.PodNamespace, who.PodName);
        if (isStatic && endpoint is null)
        {
            return Failure.InvalidRequest(
                "a static endpoint needs a name to be found again: CNI_ARGS K8S_POD_NAME (and K8S_POD_NAMESPACE); "
                + "podman sends the container name, so run the container with --name");
        }

        AttachmentKey key = isStatic
            ? EndpointIdentity.StaticKey(who.Network, endpoint!, who.IfName) // Checked just above.
            : AttachmentMapping.ToKey(who);
        return new AddIntent(request, key, isStatic, endpoint, owner, requested.Value!, app);
    }
}
