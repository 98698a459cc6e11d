using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Failures;
using Underpool.Agent.Pools;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;
using Underpool.Kubernetes.Lifecycle;
using Underpool.Store;

namespace Underpool.Agent.Kubernetes;

/// <summary>Carries out one lifecycle decision on the store: releases by pod uid or static endpoint name (counted under
/// the decision's reason in <c>underpool_releases_total</c>), application pools created, resized or reclaimed through
/// the same service <c>underpoolctl app-pool</c> uses. Every action is logged with its why.</summary>
internal sealed partial class LifecycleApplier
{
    private readonly AttachmentRelease _release;
    private readonly PoolRegistry _registry;
    private readonly AppPoolService _appPools;
    private readonly ILogger<LifecycleApplier> _log;

    public LifecycleApplier(AttachmentRelease release, PoolRegistry registry, AppPoolService appPools, ILogger<LifecycleApplier> log)
    {
        _release = release;
        _registry = registry;
        _appPools = appPools;
        _log = log;
    }

    /// <summary>The application pools the store has, as the rules see them.</summary>
    public IReadOnlyList<AppPoolState> AppPools() =>
        _registry.Pools.Values
            .Where(p => p.App is not null && p.Parent is not null)
            .Select(p => new AppPoolState(p.Name, p.App!, p.Parent!, AddressRuns.Addresses(p.Ranges).Count, p.Keep))
            .ToList();

    /// <summary>The name of the application pool made for <paramref name="app"/> ("ns/name" → "name.ns"): a pool name is
    /// a DNS subdomain of at most 63 characters, so a longer one is cut and made unique with a hash.</summary>
    public static string AppPoolName(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        int slash = app.IndexOf('/', StringComparison.Ordinal);
        string name = slash < 0 ? app : $"{app[(slash + 1)..]}.{app[..slash]}";
        if (name.Length <= 63)
        {
            return name;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(app)))[..8];
        return $"{name[..54].TrimEnd('.', '-')}-{hash}";
    }

    public async Task ApplyAsync(LifecycleAction action, IReadOnlyList<AllocationRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        switch (action)
        {
            case ReleasePod pod:
                await ReleaseAsync(records.Where(r => !r.Static && r.PodUid == pod.PodUid), pod.Reason, pod.Why, cancellationToken).ConfigureAwait(false);
                break;
            case ReleaseStatic endpoint:
                string name = EndpointIdentity.Name(endpoint.Namespace, endpoint.PodName)!;
                await ReleaseAsync(records.Where(r => r.Static && EndpointIdentity.Of(r) == name), endpoint.Reason, endpoint.Why, cancellationToken).ConfigureAwait(false);
                break;
            case EnsureAppPool ensure:
                await EnsureAsync(ensure, cancellationToken).ConfigureAwait(false);
                break;
            case ReclaimAppPools reclaim:
                Outcome<AppReclaimResponse> reclaimed = await _appPools.ReclaimAsync(new AppReclaim { App = reclaim.App }, cancellationToken).ConfigureAwait(false);
                Report(reclaimed.IsSuccess ? $"reclaimed application pools {string.Join(", ", reclaimed.Value!.Deleted)}" : null, reclaimed.Failure, reclaim.Why);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "an action this agent does not know");
        }
    }

    private async Task ReleaseAsync(IEnumerable<AllocationRecord> records, ReleaseReason reason, string why, CancellationToken cancellationToken)
    {
        foreach (AttachmentKey attachment in records.Where(r => r.Kind != AllocationKind.Carve).Select(r => r.Attachment).Distinct().ToList())
        {
            IReadOnlyList<AllocationRecord> released = await _release.ReleaseAsync(attachment, reason.Label(), cancellationToken).ConfigureAwait(false);
            if (released.Count > 0)
            {
                LogReleased(string.Join(", ", released.Select(r => r.Address)), attachment.ToString(), reason.Label(), why);
            }
        }
    }

    /// <summary>Creates the application's pool, or resizes its first pool so that all of them hold the size asked.</summary>
    private async Task EnsureAsync(EnsureAppPool ensure, CancellationToken cancellationToken)
    {
        List<AppPoolState> pools = AppPools().Where(p => p.App == ensure.App).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (pools.Count == 0)
        {
            var create = new AppPoolCreate { Name = AppPoolName(ensure.App), Parent = ensure.Subnet, App = ensure.App, Size = ensure.Size, Keep = ensure.Keep };
            Outcome<PoolView> created = await _appPools.CreateAsync(create, cancellationToken).ConfigureAwait(false);
            Report(created.IsSuccess ? $"created application pool {create.Name} of {ensure.Size} addresses" : null, created.Failure, ensure.Why);
            return;
        }

        int others = pools.Skip(1).Sum(p => p.Size);
        int size = Math.Max(ensure.Size - others, 1);
        if (size == pools[0].Size)
        {
            return; // Only the keep flag differs: it is set when a pool is created and changed by hand.
        }

        Outcome<PoolView> scaled = await _appPools.ScaleAsync(pools[0].Name, new AppPoolScale { Size = size }, cancellationToken).ConfigureAwait(false);
        Report(scaled.IsSuccess ? $"resized application pool {pools[0].Name} to {size} addresses" : null, scaled.Failure, ensure.Why);
    }

    private void Report(string? done, Failure? failure, string why)
    {
        if (failure is not null)
        {
            LogActionFailed(why, failure.Detail);
        }
        else
        {
            LogDone(done!, why);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Addresses} of {Attachment} ({Reason}): {Why}")]
    private partial void LogReleased(string addresses, string attachment, string reason, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Done}: {Why}")]
    private partial void LogDone(string done, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lifecycle action failed ({Why}): {Error}; trying again next round")]
    private partial void LogActionFailed(string why, string error);
}
