namespace Underpool.Probe;

/// <summary>How hard to look for another holder of an address: <see cref="Attempts"/> probes, each followed by a
/// wait of <see cref="Timeout"/> for an answer.</summary>
/// <remarks>RFC 5227 asks for 3 probes over 1-2 s and then 2 s of silence; a pod start cannot wait that long. A host
/// on the same segment answers an ARP or NDP probe in well under a millisecond, so two short rounds catch every host
/// that is up and not overloaded; one that is missed is found later by the re-probing of quarantine and neighbours.</remarks>
public sealed record ProbeSettings(TimeSpan Timeout, int Attempts)
{
    public static ProbeSettings Default { get; } = new(TimeSpan.FromMilliseconds(15), 2);

    /// <summary>The longest a probe of an address that nobody holds takes.</summary>
    public TimeSpan Budget => Timeout * Attempts;
}
