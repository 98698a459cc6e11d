using Underpool.Core.Net;

namespace Underpool.Core.Pools;

/// <summary>A route a pod gets with an address of the pool; no gateway means the pool's gateway.</summary>
public sealed record PoolRoute(IpCidr Destination, IpAddress? Gateway);
