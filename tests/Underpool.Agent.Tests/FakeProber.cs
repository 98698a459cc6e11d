using System.Collections.Concurrent;
using Underpool.Core.Net;
using Underpool.Probe;
using Underpool.Probe.Wire;

namespace Underpool.Agent.Tests;

/// <summary>A segment in memory: the addresses some host holds or another prober is trying, and every probe the agent
/// sent, from an uplink whose MAC is <see cref="UplinkMac"/>.</summary>
internal sealed class FakeProber(MacAddress? uplinkMac = null) : IAddressProber
{
    public static readonly MacAddress LegacyMac = new(0x0242_ac14_013c);

    private readonly ConcurrentDictionary<IpAddress, (ProbeFinding Finding, MacAddress By)> _answers = new();

    public MacAddress UplinkMac { get; } = uplinkMac ?? new MacAddress(0x0200_0000_0a01);

    public ConcurrentQueue<(Uplink Uplink, IReadOnlyList<IpAddress> Addresses)> Calls { get; } = new();

    /// <summary>Makes <paramref name="addresses"/> answered for by <see cref="LegacyMac"/>.</summary>
    public void Hold(params string[] addresses) => HoldBy(LegacyMac, addresses);

    /// <summary>Makes <paramref name="addresses"/> answered for by <paramref name="mac"/>.</summary>
    public void HoldBy(MacAddress mac, params string[] addresses) => Answer(ProbeFinding.Held, mac, addresses);

    /// <summary>Makes <paramref name="addresses"/> probed for by <paramref name="mac"/> whenever the agent probes them.</summary>
    public void Contend(MacAddress mac, params string[] addresses) => Answer(ProbeFinding.Contended, mac, addresses);

    public void Forget(string address) => _answers.TryRemove(IpAddress.Parse(address), out _);

    public IEnumerable<string> Probed => Calls.SelectMany(c => c.Addresses).Select(a => a.ToString());

    /// <summary>Runs while the probe of an address waits for answers: what other agents do in the meantime.</summary>
    public Func<IpAddress, Task>? WhileProbing { get; set; }

    public async Task<IReadOnlyList<ProbeAnswer>> ProbeAsync(
        Uplink uplink, IReadOnlyList<IpAddress> addresses, ProbeSettings settings, CancellationToken cancellationToken)
    {
        Calls.Enqueue((uplink, addresses.ToList()));
        foreach (IpAddress address in addresses)
        {
            await (WhileProbing?.Invoke(address) ?? Task.CompletedTask);
        }

        return addresses
            .Select(a => (_answers.TryGetValue(a, out var answer)
                ? new ProbeAnswer(a, answer.Finding, answer.By, TimeSpan.FromMilliseconds(1))
                : ProbeAnswer.Clear(a, TimeSpan.FromMilliseconds(1))) with { ProbedFrom = UplinkMac })
            .ToList();
    }

    private void Answer(ProbeFinding finding, MacAddress mac, string[] addresses)
    {
        foreach (string address in addresses)
        {
            _answers[IpAddress.Parse(address)] = (finding, mac);
        }
    }
}
