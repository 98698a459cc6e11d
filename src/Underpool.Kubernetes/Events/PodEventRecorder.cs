using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Underpool.Kubernetes.Api;

namespace Underpool.Kubernetes.Events;

/// <summary>The pod an Event is about.</summary>
internal sealed record EventSubject(string Namespace, string Name, string? Uid);

/// <summary>Records Warning Events on a pod for a failed allocation (reason + message), so <c>kubectl describe pod</c>
/// says why. A repeat of the same reason and message on the same pod patches the first Event's count and last time,
/// as kubelet's recorder does, instead of piling up new objects. Best effort: an Event that cannot be written is
/// logged, never thrown, because the failure it reports has its own answer already.</summary>
internal sealed partial class PodEventRecorder
{
    /// <summary>Repeats remembered; past this the oldest are forgotten (their next repeat creates a new Event).</summary>
    public const int Remembered = 1024;

    private const string Component = "underpool";

    private readonly KubernetesApi _api;
    private readonly string _host;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Pod, string Reason, string Message), (string Name, int Count)> _recorded = new();

    public PodEventRecorder(KubernetesApi api, string host, ILogger log, TimeProvider? time = null)
    {
        _api = api;
        _host = host;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Records (or counts again) a Warning Event; true when the API took it.</summary>
    public async Task<bool> WarnAsync(EventSubject pod, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = ($"{pod.Namespace}/{pod.Name}/{pod.Uid}", reason, message);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        try
        {
            if (_recorded.TryGetValue(key, out (string Name, int Count) seen) && await PatchAsync(pod.Namespace, seen.Name, seen.Count + 1, now, cancellationToken).ConfigureAwait(false))
            {
                _recorded[key] = (seen.Name, seen.Count + 1);
                return true;
            }

            string name = await CreateAsync(pod, reason, message, now, cancellationToken).ConfigureAwait(false);
            if (_recorded.Count >= Remembered)
            {
                _recorded.Clear();
            }

            _recorded[key] = (name, 1);
            return true;
        }
        catch (Exception e) when (e is KubernetesUnavailableException or HttpOperationException)
        {
            LogNotRecorded(reason, pod.Namespace, pod.Name, e.Message);
            return false;
        }
    }

    private async Task<string> CreateAsync(EventSubject pod, string reason, string message, DateTime now, CancellationToken cancellationToken)
    {
        // kubelet's naming: the object's name and a unique hex suffix.
        string name = $"{pod.Name}.{(now.Ticks - DateTime.UnixEpoch.Ticks).ToString("x", CultureInfo.InvariantCulture)}";
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = pod.Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = pod.Namespace, Name = pod.Name, Uid = pod.Uid },
            Type = "Warning",
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = Component, Host = _host },
            ReportingComponent = Component,
            ReportingInstance = _host,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        Corev1Event created = await _api
            .CallAsync($"create event on pod {pod.Namespace}/{pod.Name}", (client, token) => client.CoreV1.CreateNamespacedEventAsync(body, pod.Namespace, cancellationToken: token), cancellationToken)
            .ConfigureAwait(false);
        return created.Metadata?.Name ?? name;
    }

    /// <summary>Counts a repeat on the Event already there; false when it is gone (Events expire) so a new one is made.</summary>
    private async Task<bool> PatchAsync(string @namespace, string name, int count, DateTime now, CancellationToken cancellationToken)
    {
        string patch = $$"""{"count":{{count}},"lastTimestamp":"{{now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""";
        try
        {
            await _api
                .CallAsync(
                    $"patch event {@namespace}/{name}",
                    (client, token) => client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, @namespace, cancellationToken: token),
                    cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record event {Reason} on pod {Namespace}/{Pod}: {Error}")]
    private partial void LogNotRecorded(string reason, string @namespace, string pod, string error);
}
