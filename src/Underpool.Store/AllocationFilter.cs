namespace Underpool.Store;

/// <summary>Which allocations a listing returns; null fields do not filter.</summary>
public sealed record AllocationFilter(string? Pool = null, string? Node = null, string? Network = null)
{
    public static AllocationFilter All { get; } = new();
}
