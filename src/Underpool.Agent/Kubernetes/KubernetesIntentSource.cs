using Microsoft.Extensions.Logging;
using Underpool.Agent.Add;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Pools;
using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Events;

namespace Underpool.Agent.Kubernetes;

/// <summary>The Kubernetes part of identifying an ADD: the pod it is for (in Kubernetes mode), that pod's owner and
/// annotations (also those the plugin forwarded from <c>args.cni</c> and the runtime's pod annotations, with or without
/// API access), decided by <see cref="PodIntentResolver"/> into the pools, addresses, static flag, owner and application
/// the ADD uses. An ADD with none of these is exactly what <see cref="AddIntent.From"/> makes of it.</summary>
internal sealed partial class KubernetesIntentSource : IAddIdentifier
{
    private readonly PoolRegistry _registry;
    private readonly KubernetesLink? _link;
    private readonly ILogger<KubernetesIntentSource> _log;

    internal KubernetesIntentSource(PoolRegistry registry, ILogger<KubernetesIntentSource> log, KubernetesLink? link = null)
    {
        _registry = registry;
        _log = log;
        _link = link;
    }

    /// <summary>The ADD's intent, or the failure that stops it (an annotation that cannot be used: CNI 7; the pod
    /// unknown or of another uid: CNI 7; the API server not answering within the deadline: CNI 11).</summary>
    public async ValueTask<Outcome<AddIntent>> IdentifyAsync(CniAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Outcome<AddIntent> plain = AddIntent.From(request); // The attachment and CNI_ARGS are checked first, as always.
        AttachmentIdentity who = request.Attachment;
        bool lookUp = _link is not null && !string.IsNullOrEmpty(who.PodNamespace) && !string.IsNullOrEmpty(who.PodName);
        if (!plain.IsSuccess || (!lookUp && request.CniArgs.Count == 0 && request.PodAnnotations.Count == 0))
        {
            return plain;
        }

        PodFacts? facts = null;
        if (lookUp)
        {
            Outcome<PodFacts> found = await _link!.FactsAsync(who.PodNamespace!, who.PodName!, who.PodUid, _link.Options.ApiDeadline, cancellationToken)
                .ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return found.Failure;
            }

            facts = found.Value;
        }

        // The pool names resolve against the view AddFlow caught up before this stage.
        PodAnnotations annotations = PodAnnotations.From(request.CniArgs, facts?.Pod.Annotations, request.PodAnnotations);
        var asked = new PodIntentRequest
        {
            PodNamespace = who.PodNamespace ?? "",
            PodName = who.PodName ?? who.ContainerId,
            IfName = who.IfName,
            Annotations = annotations,
            NamespaceAnnotations = facts?.NamespaceAnnotations ?? new Dictionary<string, string>(),
            NetconfPools = request.Pools,
            NetconfStatic = request.Static,
            RuntimeRequestedIps = request.RequestedIps,
            Owner = facts?.Owner,
        };
        IReadOnlyDictionary<string, PoolSpec> pools = _registry.Pools;
        Checked<PodIntent> resolved = PodIntentResolver.Resolve(asked, name => pools.TryGetValue(name, out PoolSpec? pool) ? pool.Family : null);
        if (!resolved.IsValid)
        {
            return Failure.InvalidRequest(resolved.Problem.Message);
        }

        PodIntent intent = resolved.Value!;
        LogIdentified(asked.Pod, intent.Owner is { } o ? $"{o.Kind}/{o.Name}" : "none", intent.IsStatic, intent.App ?? "none", intent.PoolSource.ToString());
        return AddIntent.From(Rewrite(request, intent, annotations.TryGet(UnderpoolAnnotations.Static, out _, out _)));
    }

    /// <summary>The answer as the plugin gets it: it names the pools chosen when they are not the netconf's (so the
    /// plugin checks the families against them), and a failure is recorded as an Event on the pod.</summary>
    public Outcome<CniAddResponse> Answered(CniAddRequest asked, AddIntent want, Outcome<CniAddResponse> answer)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(want);
        if (!answer.IsSuccess)
        {
            RecordFailure(want.Request.Attachment, answer.Failure);
            return answer;
        }

        return ReferenceEquals(asked, want.Request)
            ? answer
            : new CniAddResponse { Ips = answer.Value!.Ips, Routes = answer.Value.Routes, ChosenPools = want.Request.Pools };
    }

    /// <summary>The request as if the runtime had asked for what Kubernetes decided: its pools, addresses, owner and
    /// application, and a static flag only when the pod's annotation says so (else owner and netconf decide, as ever).</summary>
    private static CniAddRequest Rewrite(CniAddRequest request, PodIntent intent, bool staticAnnotated)
    {
        var args = new Dictionary<string, string>(request.Args, StringComparer.Ordinal);
        if (staticAnnotated)
        {
            args[EndpointIdentity.StaticArg] = intent.IsStatic ? "true" : "false";
        }

        if (intent.Owner is { } owner)
        {
            args[EndpointIdentity.OwnerArg] = $"{owner.Kind}/{owner.Name}";
        }

        if (intent.App is { } app)
        {
            args[AddIntent.AppArg] = app;
        }

        return new CniAddRequest
        {
            Attachment = request.Attachment,
            Pools = intent.Pools,
            Uplink = request.Uplink,
            Args = args,
            RequestedIps = intent.RequestedIps,
            Static = request.Static,
            CniArgs = request.CniArgs,
            PodAnnotations = request.PodAnnotations,
        };
    }

    /// <summary>Best effort and in the background: the ADD's answer does not wait for the Event.</summary>
    private void RecordFailure(AttachmentIdentity who, Failure failure)
    {
        if (_link is null || string.IsNullOrEmpty(who.PodNamespace) || string.IsNullOrEmpty(who.PodName) || failure.Kind == ProblemKinds.KubernetesUnavailable)
        {
            return;
        }

        string reason = "UnderpoolAllocationFailed";
        _ = _link.Events.WarnAsync(new EventSubject(who.PodNamespace, who.PodName, who.PodUid), reason, $"{failure.Type}: {failure.Detail}", CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "pod {Pod}: owner {Owner}, static {Static}, app {App}, pools from {PoolSource}")]
    private partial void LogIdentified(string pod, string owner, bool @static, string app, string poolSource);
}
