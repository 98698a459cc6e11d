using Underpool.Probe;

namespace Underpool.Agent.Conflicts;

/// <summary>Where this agent probes: the ADD's netconf master, else --uplink, inside --uplink-netns.</summary>
internal sealed class UplinkResolver(AgentOptions options)
{
    /// <summary>The uplink for an ADD whose netconf named <paramref name="master"/>; null when none is known.</summary>
    public Uplink? For(string? master) =>
        (string.IsNullOrWhiteSpace(master) ? options.Uplink : master) is { } name ? new Uplink(name, options.UplinkNetns) : null;
}
