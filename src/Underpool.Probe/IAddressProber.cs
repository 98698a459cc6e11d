using Underpool.Core.Net;

namespace Underpool.Probe;

/// <summary>Asks the segment behind an uplink whether anyone holds some addresses (ARP for IPv4, NDP DAD for IPv6).</summary>
public interface IAddressProber
{
    /// <summary>Probes every address at once; one answer per address, in order. Throws
    /// <see cref="Linux.ProbeException"/> when the namespace or interface cannot be used.</summary>
    Task<IReadOnlyList<ProbeAnswer>> ProbeAsync(
        Uplink uplink, IReadOnlyList<IpAddress> addresses, ProbeSettings settings, CancellationToken cancellationToken);
}
