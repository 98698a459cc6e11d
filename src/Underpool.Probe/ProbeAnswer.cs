using Underpool.Core.Net;
using Underpool.Probe.Wire;

namespace Underpool.Probe;

/// <summary>What a probe of one address found: <see cref="Finding"/>, and <see cref="AnsweredBy"/>, the MAC of the
/// holder or of the other prober (null when the address is clear).</summary>
/// <remarks>A holder's answer wins over another prober's probe seen in the same round: someone who holds the address
/// matters more than someone who would like it.</remarks>
public readonly record struct ProbeAnswer(IpAddress Address, ProbeFinding Finding, MacAddress? AnsweredBy, TimeSpan Elapsed)
{
    /// <summary>The MAC of the uplink the probe went out from, when known: what other agents on the segment see as
    /// this node's.</summary>
    public MacAddress? ProbedFrom { get; init; }

    public bool IsHeld => Finding == ProbeFinding.Held;

    public static ProbeAnswer Clear(IpAddress address, TimeSpan elapsed) => new(address, ProbeFinding.Clear, null, elapsed);
}
