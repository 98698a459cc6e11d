namespace Underpool.Store.Etcd;

/// <summary>One attachment's records on their way into a group transaction, with the generation of each pool they
/// were picked from (<see cref="AttachmentWrites.Generations"/>).</summary>
internal sealed record CommitEntry(int Index, AttachmentKey Key, IReadOnlyList<AllocationRecord> Records, Dictionary<string, long> Pools);
