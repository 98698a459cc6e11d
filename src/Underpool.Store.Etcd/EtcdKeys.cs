using Google.Protobuf;
using Underpool.Core.Net;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>The store's key layout under its prefix (all values JSON unless said otherwise).</summary>
/// <remarks>
/// <code>
/// &lt;prefix&gt;/v1/pools/&lt;name&gt;                        pool spec; PoolSpec.Generation = this key's mod_revision
/// &lt;prefix&gt;/v1/poolset                             empty; put with every pool create and delete: its mod_revision
///                                                  is PoolsSnapshot.Revision, the guard of CreatePoolAsync
/// &lt;prefix&gt;/v1/reserved/&lt;ip&gt;                       the address
/// &lt;prefix&gt;/v1/quarantine/&lt;ip&gt;                     who answered for a conflicting address (pool, MAC, node, time)
/// &lt;prefix&gt;/v1/alloc/&lt;pool&gt;/&lt;ip&gt;                   one AllocationRecord; its create_revision == 0 is the
///                                                  create-if-absent that keeps an address from being held twice
/// &lt;prefix&gt;/v1/attach/&lt;network&gt;/&lt;container&gt;/&lt;if&gt;   the attachment's records (an array)
/// &lt;prefix&gt;/v1/revision                            empty; put in the same transaction as every journalled
///                                                  write, so its mod_revision is this store's current revision
///                                                  however busy other prefixes on the same etcd are
/// &lt;prefix&gt;/v1/nodes/&lt;name&gt;                        a node's labels and registration time (permanent)
/// &lt;prefix&gt;/v1/alive/&lt;name&gt;                        empty, on a lease of the node's heartbeat ttl
/// &lt;prefix&gt;/v1/leases/&lt;name&gt;                       a leader lease's holder, on an etcd lease of its ttl
/// </code>
/// Addresses in keys are canonical text (<see cref="StoredText"/>), so one address has one key. Pool names are
/// DNS-1123 subdomains and an address holds no '/', so an alloc key splits unambiguously at its last '/'.
/// </remarks>
internal sealed class EtcdKeys
{
    public EtcdKeys(string prefix)
    {
        Root = prefix + "/v1/";
        Pools = Root + "pools/";
        PoolSet = Root + "poolset";
        Reserved = Root + "reserved/";
        Quarantine = Root + "quarantine/";
        Allocations = Root + "alloc/";
        Attachments = Root + "attach/";
        Revision = Root + "revision";
        Nodes = Root + "nodes/";
        Alive = Root + "alive/";
        Leases = Root + "leases/";
    }

    /// <summary>Everything of this store; the change feed watches it.</summary>
    public string Root { get; }

    public string Pools { get; }

    public string PoolSet { get; }

    public string Reserved { get; }

    public string Quarantine { get; }

    public string Allocations { get; }

    public string Attachments { get; }

    public string Revision { get; }

    public string Nodes { get; }

    public string Alive { get; }

    public string Leases { get; }

    public string Pool(string name) => Pools + name;

    public string ReservedAddress(IpAddress address) => Reserved + StoredText.Text(address);

    public string QuarantineAddress(IpAddress address) => Quarantine + StoredText.Text(address);

    /// <summary>The allocations of one pool: a prefix (ends with '/').</summary>
    public string PoolAllocations(string pool) => Allocations + pool + "/";

    public string Allocation(string pool, IpAddress address) => PoolAllocations(pool) + StoredText.Text(address);

    public string Attachment(AttachmentKey attachment) =>
        $"{Attachments}{attachment.Network}/{attachment.ContainerId}/{attachment.IfName}";

    public string Node(string name) => Nodes + name;

    public string AliveNode(string name) => Alive + name;

    public string Lease(string name) => Leases + name;

    public static ByteString Bytes(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The range_end that makes a range or watch cover every key starting with <paramref name="prefix"/>.</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        byte[] end = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (int i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end.AsSpan(0, i + 1));
            }
        }

        return ByteString.CopyFrom(0); // every key
    }

    /// <summary>(pool, address) of an alloc key, or null for a key that is not one.</summary>
    public (string Pool, IpAddress Address)? ParseAllocation(string key)
    {
        if (!key.StartsWith(Allocations, StringComparison.Ordinal))
        {
            return null;
        }

        int slash = key.LastIndexOf('/');
        return slash <= Allocations.Length
            ? null
            : (key[Allocations.Length..slash], StoredText.Address(key[(slash + 1)..]));
    }

    /// <summary>The text after <paramref name="prefix"/> when <paramref name="key"/> starts with it.</summary>
    public static string? After(string prefix, string key) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length ? key[prefix.Length..] : null;
}
