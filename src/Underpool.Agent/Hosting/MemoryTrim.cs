using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Underpool.Agent.Hosting;

/// <summary>Gives memory back once a burst of work is over. The GC sizes its heaps for the load it saw and, with nothing
/// allocating afterwards, never runs again to shrink them: after 50,000 ADDs and their DELs the agent kept ~40 MiB above
/// idle for good. Every <see cref="Interval"/> this looks at how much was allocated: after a burst (more than
/// <see cref="BurstBytes"/> since the last trim) followed by a quiet interval, one aggressive, compacting collection
/// returns the free heap to the system, and glibc's malloc_trim gives back what native code (SQLite's page caches,
/// the runtime's own allocations) freed but malloc kept in its arenas.</summary>
internal sealed partial class MemoryTrim(TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Allocated since the last trim that counts as a burst worth trimming after.</summary>
    public const long BurstBytes = 64L << 20;

    /// <summary>Allocated within one interval that still counts as quiet (heartbeats, a STATUS probe).</summary>
    public const long QuietBytes = 4L << 20;

    private long _trimmedAt = GC.GetTotalAllocatedBytes();
    private long _previous = GC.GetTotalAllocatedBytes();

    /// <summary>One look: trims when a burst has been followed by a quiet interval. True when it trimmed.</summary>
    public bool TryTrim()
    {
        long now = GC.GetTotalAllocatedBytes();
        bool quiet = now - _previous < QuietBytes;
        _previous = now;
        if (!quiet || now - _trimmedAt < BurstBytes)
        {
            return false;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
        _trimmedAt = GC.GetTotalAllocatedBytes();
        _previous = _trimmedAt;
        return true;
    }

    private static void TrimNativeHeap()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to give back this way.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            TryTrim();
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
