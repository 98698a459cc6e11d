namespace Underpool.Probe;

/// <summary>Where probes go out: an interface, inside the network namespace at <see cref="NetnsPath"/> (null: the
/// agent's own namespace).</summary>
public sealed record Uplink(string Interface, string? NetnsPath)
{
    public override string ToString() => NetnsPath is null ? Interface : $"{Interface} in {NetnsPath}";
}
