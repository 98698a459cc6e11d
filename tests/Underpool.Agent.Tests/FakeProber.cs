using System.Collections.Concurrent;
using Underpool.Core.Net;
using Underpool.Probe;
using Underpool.Probe.Wire;

namespace Underpool.Agent.Tests;

/// <summary>A segment in memory: the addresses some host answers for, and every probe the agent sent.</summary>
internal sealed class FakeProber : IAddressProber
{
    public static readonly MacAddress LegacyMac = new(0x0242_ac14_013c);

    private readonly ConcurrentDictionary<IpAddress, MacAddress> _held = new();

    public ConcurrentQueue<(Uplink Uplink, IReadOnlyList<IpAddress> Addresses)> Calls { get; } = new();

    /// <summary>Makes <paramref name="addresses"/> answered for by <see cref="LegacyMac"/>.</summary>
    public void Hold(params string[] addresses)
    {
        foreach (string address in addresses)
        {
            _held[IpAddress.Parse(address)] = LegacyMac;
        }
    }

    public void Forget(string address) => _held.TryRemove(IpAddress.Parse(address), out _);

    public IEnumerable<string> Probed => Calls.SelectMany(c => c.Addresses).Select(a => a.ToString());

    public Task<IReadOnlyList<ProbeAnswer>> ProbeAsync(
        Uplink uplink, IReadOnlyList<IpAddress> addresses, ProbeSettings settings, CancellationToken cancellationToken)
    {
        Calls.Enqueue((uplink, addresses.ToList()));
        IReadOnlyList<ProbeAnswer> answers = addresses
            .Select(a => new ProbeAnswer(a, _held.TryGetValue(a, out MacAddress mac) ? mac : null, TimeSpan.FromMilliseconds(1)))
            .ToList();
        return Task.FromResult(answers);
    }
}
