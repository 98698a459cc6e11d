using Microsoft.Extensions.Logging;
using Underpool.Agent.Attachments;
using Underpool.Agent.Observability;
using Underpool.Api.Contracts;
using Underpool.Store;

namespace Underpool.Agent.Gc;

/// <summary>Finds this node's allocations whose network namespace is gone (a crashed runtime, a DEL that never came)
/// and gives their addresses back; static endpoints keep theirs and are marked not running.</summary>
/// <remarks>Liveness is only ever the existence of the namespace path the runtime gave (/var/run/netns/X,
/// /proc/PID/ns/net): the sweep never opens or enters a namespace. It never decides about what it cannot see: other
/// nodes' allocations, records without a path, application pool carvings, and records younger than --gc-grace.</remarks>
internal sealed partial class LivenessSweep : IDisposable
{
    /// <summary>The metrics reason of a release by the sweep.</summary>
    public const string MetricReason = "sweep";

    private const string NetnsGone = "netns-gone";

    private readonly IIpamStore _store;
    private readonly AttachmentRelease _release;
    private readonly AgentOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<LivenessSweep> _log;

    // One sweep at a time (the loop and 'underpoolctl gc run'); it also guards _staticDeadSince.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // When this agent first saw a static endpoint's namespace gone: a takeover keeps the record's CreatedAt, so the
    // grace period of a static record counts from our own first observation instead (conservative: a restart resets it).
    private readonly Dictionary<AttachmentKey, DateTimeOffset> _staticDeadSince = [];

    public LivenessSweep(
        IIpamStore store, AttachmentRelease release, AgentOptions options, TimeProvider clock, ILogger<LivenessSweep> log)
    {
        _store = store;
        _release = release;
        _options = options;
        _clock = clock;
        _log = log;
    }

    public void Dispose() => _gate.Dispose();

    public async Task<GcRunResponse> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SweepAsync(dryRun, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<GcRunResponse> SweepAsync(bool dryRun, CancellationToken cancellationToken)
    {
        IReadOnlyList<AllocationRecord> mine = await _store
            .ListAllocationsAsync(new AllocationFilter(Node: _options.Node), cancellationToken)
            .ConfigureAwait(false);
        var round = new SweepRound(dryRun, _clock.GetUtcNow());
        foreach (IGrouping<AttachmentKey, AllocationRecord> attachment in mine
                     .Where(r => r.Kind != AllocationKind.Carve)
                     .GroupBy(r => r.Attachment))
        {
            await SweepAttachmentAsync(round, attachment.ToList(), cancellationToken).ConfigureAwait(false);
        }

        // Forget endpoints that came back or went away, so the map cannot grow without bound.
        foreach (AttachmentKey key in _staticDeadSince.Keys.Where(k => !round.DeadStatics.Contains(k)).ToList())
        {
            _staticDeadSince.Remove(key);
        }

        return new GcRunResponse
        {
            Node = _options.Node,
            DryRun = dryRun,
            Released = dryRun ? [] : round.Released,
            WouldRelease = dryRun ? round.Released : [],
            Stopped = round.Stopped,
            UnknownLiveness = round.Unknown,
            InGrace = round.InGrace,
        };
    }

    /// <summary>Decides one attachment of this node: alive, unknown, in grace, or gone (released, or stopped when static).</summary>
    private async Task SweepAttachmentAsync(SweepRound round, List<AllocationRecord> records, CancellationToken cancellationToken)
    {
        AllocationRecord first = records[0];
        if (first.Kind == AllocationKind.Static && first.RuntimeContainerId is null)
        {
            return; // A stopped static endpoint: nothing runs, nothing to decide.
        }

        if (first.NetNs is not { Length: > 0 } netns)
        {
            round.Unknown++;
            return;
        }

        if (NamespaceExists(netns))
        {
            return;
        }

        if (round.Now - records.Max(r => r.CreatedAt) < _options.GcGrace)
        {
            round.InGrace++;
            return;
        }

        string detail = $"network namespace {netns} no longer exists";
        if (first.Kind == AllocationKind.Static)
        {
            await SweepStaticAsync(round, records, detail, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (round.DryRun)
        {
            round.Released.AddRange(records.Select(r => Finding(r, detail)));
            return;
        }

        round.Released.AddRange((await ReleaseAsync(records, cancellationToken).ConfigureAwait(false)).Select(r => Finding(r, detail)));
    }

    /// <summary>A static endpoint whose namespace is gone is stopped (it keeps its addresses) once it has been gone for
    /// the grace period itself, counted from when a sweep first found it gone.</summary>
    private async Task SweepStaticAsync(SweepRound round, List<AllocationRecord> records, string detail, CancellationToken cancellationToken)
    {
        AttachmentKey key = records[0].Attachment;
        round.DeadStatics.Add(key);
        DateTimeOffset since = _staticDeadSince.TryGetValue(key, out DateTimeOffset seen) ? seen : round.Now;
        _staticDeadSince[key] = since;
        if (round.Now - since < _options.GcGrace)
        {
            round.InGrace++;
            return;
        }

        if (round.DryRun || await StopStaticAsync(records, cancellationToken).ConfigureAwait(false))
        {
            round.Stopped.AddRange(records.Select(r => Finding(r, detail)));
        }
    }

    /// <summary>Releases the attachment if it still holds exactly what was swept (a racing DEL or ADD changed it
    /// otherwise: leave it to the next round).</summary>
    private async Task<IReadOnlyList<AllocationRecord>> ReleaseAsync(List<AllocationRecord> swept, CancellationToken cancellationToken)
    {
        AttachmentKey key = swept[0].Attachment;
        try
        {
            IReadOnlyList<AllocationRecord> now = await _store.GetAttachmentAsync(key, cancellationToken).ConfigureAwait(false);
            if (now.Count != swept.Count || !now.All(swept.Contains) || (now.Count > 0 && NamespaceExists(now[0].NetNs!)))
            {
                return [];
            }

            IReadOnlyList<AllocationRecord> gone = await _release.ReleaseAsync(key, MetricReason, cancellationToken).ConfigureAwait(false);

            if (gone.Count > 0)
            {
                LogReleased(key, string.Join(", ", gone.Select(r => r.Address)), swept[0].NetNs ?? "");
            }

            return gone;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One failing release must not keep the others leaked: the next round tries it again.
            LogFailed(key, e.Message);
            return [];
        }
    }

    private async Task<bool> StopStaticAsync(List<AllocationRecord> kept, CancellationToken cancellationToken)
    {
        List<AllocationRecord> stopped = EndpointIdentity.Stopped(kept);
        try
        {
            // Only if nothing changed since the listing: a takeover by a new container must not be undone.
            if (!await _store.ReplaceAttachmentAsync(kept, stopped, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(kept[0].Attachment, e.Message);
            return false;
        }

        _staticDeadSince.Remove(kept[0].Attachment);
        LogStopped(kept[0].Attachment, string.Join(", ", kept.Select(r => r.Address)), kept[0].NetNs ?? "");
        return true;
    }

    /// <summary>What one sweep found so far.</summary>
    private sealed class SweepRound(bool dryRun, DateTimeOffset now)
    {
        public bool DryRun => dryRun;

        public DateTimeOffset Now => now;

        public List<GcFinding> Released { get; } = [];

        public List<GcFinding> Stopped { get; } = [];

        public HashSet<AttachmentKey> DeadStatics { get; } = [];

        public int Unknown { get; set; }

        public int InGrace { get; set; }
    }

    /// <summary>A namespace is alive while its path exists: a bind mount under /var/run/netns is a file, /proc/PID/ns/net
    /// a link that vanishes with the process.</summary>
    private static bool NamespaceExists(string path) => File.Exists(path) || Directory.Exists(path);

    private static GcFinding Finding(AllocationRecord record, string detail) => new()
    {
        Allocation = AttachmentMapping.ToView(record),
        Reason = NetnsGone,
        Detail = detail,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Addresses} of {Attachment} (sweep: netns {Netns} is gone)")]
    private partial void LogReleased(AttachmentKey attachment, string addresses, string netns);

    [LoggerMessage(Level = LogLevel.Information, Message = "static endpoint {Attachment} marked not running, keeps {Addresses} (sweep: netns {Netns} is gone)")]
    private partial void LogStopped(AttachmentKey attachment, string addresses, string netns);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sweep could not settle {Attachment}: {Error}; trying again next round")]
    private partial void LogFailed(AttachmentKey attachment, string error);
}
