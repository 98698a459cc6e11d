using BenchmarkDotNet.Attributes;
using Underpool.Core.Allocation;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Bench;

/// <summary>Take + release in a half-full pool: the cost must not grow with the pool's size (a /64 is never
/// enumerated).</summary>
[MemoryDiagnoser]
public class AllocatorBenchmarks
{
    private PoolAllocator _allocator = null!; // Set in Setup, which BenchmarkDotNet runs before any iteration.

    [Params("10.0.0.0/24", "10.0.0.0/16", "fd00::/64")]
    public string Subnet { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _allocator = new PoolAllocator(new PoolSpec { Name = "bench", Subnet = IpCidr.Parse(Subnet) });
        // Half full (capped for the /64) so the search has used neighbours to skip.
        long fill = Subnet.EndsWith("/24", StringComparison.Ordinal) ? 127 : 30_000;
        for (long i = 0; i < fill; i++)
        {
            _allocator.TryTake(out _);
        }
    }

    [Benchmark]
    public bool TakeAndRelease()
    {
        _allocator.TryTake(out IpAddress address);
        return _allocator.Release(address);
    }
}
