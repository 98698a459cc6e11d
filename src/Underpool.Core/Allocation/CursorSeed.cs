using System.Text;

namespace Underpool.Core.Allocation;

/// <summary>Where a node's agent starts its next-fit cursor in a shared pool: a stable hash of the node name, so the
/// same node starts at the same place after a restart and different nodes spread over the pool.</summary>
public static class CursorSeed
{
    /// <summary>FNV-1a, 64 bits: stable across processes and .NET versions, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong ForNode(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        ulong hash = offsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(node))
        {
            hash = (hash ^ b) * prime;
        }

        return hash;
    }
}
