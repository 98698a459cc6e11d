using Underpool.Core.Net;
using Underpool.Probe.Wire;

namespace Underpool.Probe;

/// <summary>What a probe of one address found: <see cref="AnsweredBy"/> is the MAC of another holder, or null when
/// nobody answered within the settings' budget.</summary>
public readonly record struct ProbeAnswer(IpAddress Address, MacAddress? AnsweredBy, TimeSpan Elapsed)
{
    public bool InUse => AnsweredBy is not null;
}
