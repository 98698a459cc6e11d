using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;

namespace Underpool.Kubernetes.Leadership;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease, client-go's algorithm in a small loop of our own
/// rather than the client's LeaderElector, because we need three things it lacks: a deadline on every call (one hung
/// GET must not outlast the lease), leading that ends by itself when renewals fail for the renew deadline (so a leader
/// cut off from the API stops acting before anyone else may take over), and giving the lease up on a clean stop (the
/// next agent takes over at once instead of a lease duration later). Another holder's lease counts as expired
/// <see cref="LeaderElectionOptions.LeaseDuration"/> after we last saw it change, on our own clock: clocks of
/// different nodes are never compared.</summary>
internal sealed partial class LeaseElector : IAsyncDisposable
{
    private readonly KubernetesApi _api;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private (string? Holder, DateTime? RenewTime) _observed;
    private DateTimeOffset _observedAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _renewedAt;
    private bool _leading;
    private Task? _loop;

    public LeaseElector(KubernetesApi api, LeaderElectionOptions options, ILogger log, TimeProvider? time = null)
    {
        _api = api;
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised when this agent starts leading, and when it stops (lost, expired, or stopped).</summary>
    public event Action<bool>? LeadershipChanged;

    /// <summary>Leading now: the lease was renewed less than the renew deadline ago.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _leading && _renewedAt is { } renewed && _time.GetUtcNow() - renewed < _options.RenewDeadline;
            }
        }
    }

    /// <summary>The holder last seen in the lease (may be this agent), or null.</summary>
    public string? Leader
    {
        get
        {
            lock (_gate)
            {
                return _observed.Holder;
            }
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops; gives the lease up when this agent holds it, so another takes over at once.</summary>
    public ValueTask DisposeAsync() => StopAsync(release: true);

    /// <summary>Stops the loop; without <paramref name="release"/> it is as if the agent died (the lease runs out).</summary>
    public async ValueTask StopAsync(bool release)
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_loop is { } loop)
            {
                await loop.ConfigureAwait(false);
            }

            if (release && IsLeader)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }

            SetLeading(false);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                bool held = await TryAcquireOrRenewAsync(stop).ConfigureAwait(false);
                if (held)
                {
                    lock (_gate)
                    {
                        _renewedAt = _time.GetUtcNow();
                    }
                }

                // Not renewed: still leading only while the last renewal is recent and nobody else holds the lease.
                SetLeading(held || (IsLeader && Leader == _options.Identity));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesUnavailableException or HttpOperationException)
            {
                LogRenewFailed(_options.LeaseName, e.Message);
                SetLeading(IsLeader); // Still leading only while the last renewal is recent enough.
            }

            try
            {
                // Followers retry with a little jitter so that they do not all ask at the same instant.
                double jitter = IsLeader ? 1 : 1 + (Random.Shared.NextDouble() * 0.2);
                await Task.Delay(_options.RetryPeriod * jitter, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken stop)
    {
        string name = _options.LeaseName;
        string ns = _options.Namespace;
        TimeSpan deadline = _options.RenewDeadline / 2;
        V1Lease? lease = await _api
            .GetOrNullAsync($"GET lease {ns}/{name}", (client, token) => client.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: token), stop, deadline)
            .ConfigureAwait(false);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        if (lease is null)
        {
            var created = new V1Lease { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = Spec(now, now, 0) };
            return await WriteAsync("create", (client, token) => client.CoordinationV1.CreateNamespacedLeaseAsync(created, ns, cancellationToken: token), deadline, stop)
                .ConfigureAwait(false);
        }

        V1LeaseSpec old = lease.Spec ?? new V1LeaseSpec();
        Observe(old);
        bool mine = old.HolderIdentity == _options.Identity;
        TimeSpan duration = old.LeaseDurationSeconds is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : _options.LeaseDuration;
        if (!mine && !string.IsNullOrEmpty(old.HolderIdentity) && _time.GetUtcNow() < _observedAt + duration)
        {
            return false;
        }

        lease.Spec = mine
            ? Spec(old.AcquireTime ?? now, now, old.LeaseTransitions ?? 0)
            : Spec(now, now, (old.LeaseTransitions ?? 0) + 1);
        return await WriteAsync("update", (client, token) => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, ns, cancellationToken: token), deadline, stop)
            .ConfigureAwait(false);
    }

    /// <summary>A create or update; 409 (someone else wrote first) is "not ours", not an error.</summary>
    private async Task<bool> WriteAsync(string verb, Func<IKubernetes, CancellationToken, Task<V1Lease>> write, TimeSpan deadline, CancellationToken stop)
    {
        try
        {
            V1Lease written = await _api.CallAsync($"{verb} lease {_options.Namespace}/{_options.LeaseName}", write, stop, deadline).ConfigureAwait(false);
            Observe(written.Spec);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Gives the lease up: no holder, so the others need not wait for it to expire.</summary>
    private async Task ReleaseAsync()
    {
        try
        {
            string name = _options.LeaseName;
            string ns = _options.Namespace;
            V1Lease? lease = await _api
                .GetOrNullAsync("GET lease", (client, token) => client.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: token), CancellationToken.None)
                .ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            await _api.CallAsync("release lease", (client, token) => client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, ns, cancellationToken: token), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesUnavailableException or HttpOperationException)
        {
            LogReleaseFailed(_options.LeaseName, e.Message); // It runs out by itself.
        }
    }

    private V1LeaseSpec Spec(DateTime acquired, DateTime renewed, int transitions) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    private void Observe(V1LeaseSpec? spec)
    {
        (string? Holder, DateTime? RenewTime) seen = (spec?.HolderIdentity, spec?.RenewTime);
        lock (_gate)
        {
            if (seen != _observed)
            {
                if (seen.Holder != _observed.Holder)
                {
                    LogLeader(_options.LeaseName, seen.Holder ?? "nobody");
                }

                _observed = seen;
                _observedAt = _time.GetUtcNow();
            }
        }
    }

    private void SetLeading(bool leading)
    {
        lock (_gate)
        {
            if (_leading == leading)
            {
                return;
            }

            _leading = leading;
        }

        LogLeading(_options.Identity, leading ? "started" : "stopped");
        LeadershipChanged?.Invoke(leading);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "lease {Lease} is held by {Holder}")]
    private partial void LogLeader(string lease, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} {Change} leading")]
    private partial void LogLeading(string identity, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not renew or acquire lease {Lease}: {Error}")]
    private partial void LogRenewFailed(string lease, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not give lease {Lease} up (it will run out): {Error}")]
    private partial void LogReleaseFailed(string lease, string error);
}
