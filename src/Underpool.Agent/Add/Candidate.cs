using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Add;

/// <summary>An address taken from the in-memory view for an ADD, with the pool it comes from.</summary>
internal readonly record struct Candidate(PoolSpec Pool, IpAddress Address);
