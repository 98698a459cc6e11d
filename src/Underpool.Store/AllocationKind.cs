namespace Underpool.Store;

/// <summary>What an allocation is for, which decides who may release it.</summary>
public enum AllocationKind
{
    /// <summary>A container's address: DEL, CNI GC, the liveness sweep and a forgotten node release it.</summary>
    Workload,

    /// <summary>A static endpoint's address: it stays with the endpoint's name across DEL until released explicitly.</summary>
    Static,

    /// <summary>An application pool's address held in its parent pool: only the application pool's operations release it.</summary>
    Carve,
}
