using System.Globalization;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Endpoints;

/// <summary>Endpoints (workload instances) as views over the allocations, and their explicit release: the only way
/// a static endpoint gives its addresses back.</summary>
internal sealed partial class EndpointDirectory
{
    private readonly IIpamStore _store;
    private readonly AttachmentRelease _release;
    private readonly ILogger<EndpointDirectory> _log;

    public EndpointDirectory(IIpamStore store, AttachmentRelease release, ILogger<EndpointDirectory> log)
    {
        _store = store;
        _release = release;
        _log = log;
    }

    /// <summary>Every endpoint, or the one named <paramref name="name"/> (404 when it holds nothing).</summary>
    public async Task<Outcome<EndpointList>> ListAsync(string? name, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> all = await _store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
        // Carve records hold an application pool's addresses in its parent: they belong to no workload.
        List<EndpointView> endpoints = all.Where(r => r.Kind != AllocationKind.Carve)
            .GroupBy(EndpointIdentity.Of, StringComparer.Ordinal)
            .Where(g => name is null || g.Key == name)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ToView(g.Key, g.ToList()))
            .ToList();
        return name is not null && endpoints.Count == 0 ? NotFound(name) : new EndpointList { Endpoints = endpoints };
    }

    private static Failure NotFound(string name) =>
        new(ProblemKinds.EndpointNotFound, $"no endpoint named '{name}' holds addresses; 'underpoolctl endpoint list' shows them");

    public async Task<Outcome<EndpointReleaseResponse>> ReleaseAsync(EndpointReleaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Outcome<Func<AllocationRecord, bool>> match = Matcher(request);
        if (!match.IsSuccess)
        {
            return match.Failure;
        }

        IReadOnlyList<AllocationRecord> all = await _store.ListAllocationsAsync(AllocationFilter.All, cancellationToken).ConfigureAwait(false);
        List<AttachmentKey> attachments = all.Where(r => r.Kind != AllocationKind.Carve)
            .Where(match.Value!).Select(r => r.Attachment).Distinct().ToList();
        if (attachments.Count == 0 && request.Name is not null)
        {
            return NotFound(request.Name);
        }

        var released = new List<AllocationView>();
        foreach (AttachmentKey attachment in attachments)
        {
            foreach (AllocationRecord record in await _release.ReleaseAsync(attachment, "endpoint-release", cancellationToken).ConfigureAwait(false))
            {
                released.Add(AttachmentMapping.ToView(record));
                LogReleased(EndpointIdentity.Of(record), record.Address.ToString());
            }
        }

        return new EndpointReleaseResponse { Released = released };
    }

    /// <summary>Which records a release covers: one endpoint by name, or an owner's endpoints (those at or above an
    /// ordinal when scaled down).</summary>
    private static Outcome<Func<AllocationRecord, bool>> Matcher(EndpointReleaseRequest request)
    {
        bool byOwner = request.OwnerKind is not null || request.OwnerName is not null;
        if ((request.Name is null) == !byOwner)
        {
            return Failure.InvalidRequest("give either name (one endpoint) or ownerKind and ownerName (an owner's endpoints)");
        }

        if (request.Name is { } name)
        {
            return request.Replicas is null
                ? (Func<AllocationRecord, bool>)(r => EndpointIdentity.Of(r) == name)
                : Failure.InvalidRequest("replicas goes with an owner, not with one endpoint's name");
        }

        if (string.IsNullOrWhiteSpace(request.OwnerKind) || string.IsNullOrWhiteSpace(request.OwnerName))
        {
            return Failure.InvalidRequest("an owner needs both ownerKind and ownerName, like StatefulSet and web");
        }

        if (request.Replicas is < 0)
        {
            return Failure.InvalidRequest($"replicas must be 0 or more, not {request.Replicas}");
        }

        return (Func<AllocationRecord, bool>)(r =>
            r.OwnerKind == request.OwnerKind && r.OwnerName == request.OwnerName
            && (request.Namespace is null || r.PodNamespace == request.Namespace)
            && (request.Replicas is not { } replicas || Ordinal(r.PodName, request.OwnerName!) >= replicas));
    }

    /// <summary>The ordinal of a StatefulSet-style instance name ("web-2" of owner "web" is 2), or -1.</summary>
    private static int Ordinal(string? podName, string owner) =>
        podName is not null && podName.Length > owner.Length + 1 && podName.StartsWith(owner + "-", StringComparison.Ordinal)
        && int.TryParse(podName.AsSpan(owner.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal)
            ? ordinal
            : -1;

    private static EndpointView ToView(string name, List<AllocationRecord> records)
    {
        AllocationRecord first = records[0];
        bool isStatic = records.Any(r => r.Kind == AllocationKind.Static);
        return new EndpointView
        {
            Name = name,
            Static = isStatic,
            Running = !isStatic || records.Any(r => r.RuntimeContainerId is not null),
            ContainerId = isStatic ? first.RuntimeContainerId : first.Attachment.ContainerId,
            PodUid = first.PodUid,
            Node = first.Node,
            NetNs = first.NetNs,
            OwnerKind = first.OwnerKind,
            OwnerName = first.OwnerName,
            Interfaces = records.GroupBy(r => (r.Attachment.Network, r.Attachment.IfName))
                .OrderBy(g => g.Key.Network, StringComparer.Ordinal).ThenBy(g => g.Key.IfName, StringComparer.Ordinal)
                .Select(g => new EndpointInterface
                {
                    Network = g.Key.Network,
                    IfName = g.Key.IfName,
                    Addresses = g.OrderBy(r => r.Address).Select(r => new EndpointAddress { Pool = r.Pool, Address = r.Address.ToString() }).ToList(),
                })
                .ToList(),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Address} of endpoint {Endpoint} on request")]
    private partial void LogReleased(string endpoint, string address);
}
