using System.Globalization;
using Underpool.Probe;

namespace Underpool.Agent;

/// <summary>The agent's conflict-probing flags, read and checked one at a time by <see cref="AgentOptionsParser"/>.</summary>
internal sealed class ProbeFlags
{
    public bool Probe { get; private set; } = true;

    public ProbeSettings Settings { get; private set; } = ProbeSettings.Default;

    public string? Uplink { get; private set; }

    public string? UplinkNetns { get; private set; }

    public TimeSpan QuarantineRecheck { get; private set; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads <paramref name="flag"/> if it is one of these; false with an error when its value is bad.</summary>
    public bool TryRead(string flag, string value, out bool known, out string? error)
    {
        known = true;
        error = null;
        switch (flag)
        {
            case "--probe" when value is "on" or "off":
                Probe = value == "on";
                return true;
            case "--probe":
                error = $"--probe '{value}' must be 'on' or 'off'";
                return false;
            case "--probe-timeout":
                if (!TryInt(value, 1, 1000, out int ms))
                {
                    error = $"--probe-timeout '{value}' must be a whole number of milliseconds from 1 to 1000";
                    return false;
                }

                Settings = Settings with { Timeout = TimeSpan.FromMilliseconds(ms) };
                return true;
            case "--probe-attempts":
                if (!TryInt(value, 1, 10, out int attempts))
                {
                    error = $"--probe-attempts '{value}' must be a whole number from 1 to 10";
                    return false;
                }

                Settings = Settings with { Attempts = attempts };
                return true;
            case "--uplink":
                if (value.Length is 0 or > 15 || value.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
                {
                    error = $"--uplink '{value}' is not an interface name (1-15 characters, no '/', ':' or spaces)";
                    return false;
                }

                Uplink = value;
                return true;
            case "--uplink-netns":
                if (!File.Exists(value))
                {
                    error = $"--uplink-netns '{value}' does not exist; give a namespace file such as /var/run/netns/NAME";
                    return false;
                }

                UplinkNetns = value;
                return true;
            case "--quarantine-recheck":
                if (!TryInt(value, 1, 86_400, out int seconds))
                {
                    error = $"--quarantine-recheck '{value}' must be a whole number of seconds from 1 to 86400";
                    return false;
                }

                QuarantineRecheck = TimeSpan.FromSeconds(seconds);
                return true;
            default:
                known = false;
                return true;
        }
    }

    internal static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
