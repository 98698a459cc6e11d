using Underpool.Probe;

namespace Underpool.Daemon.Options;

/// <summary>The agent's conflict-probing flags.</summary>
internal sealed class ProbeFlags : IFlagGroup
{
    private bool _probe = true;
    private ProbeSettings _settings = ProbeSettings.Default;
    private string? _uplink;
    private string? _uplinkNetns;
    private TimeSpan _quarantineRecheck = TimeSpan.FromMinutes(1);

    public bool TryRead(string flag, string value, List<string> errors)
    {
        switch (flag)
        {
            case "--probe" when value is "on" or "off":
                _probe = value == "on";
                return true;
            case "--probe":
                errors.Add($"--probe '{value}' must be 'on' or 'off'");
                return true;
            case "--probe-timeout":
                if (FlagValues.TryWhole(flag, value, 1, 1000, errors, out int ms, unit: "of milliseconds "))
                {
                    _settings = _settings with { Timeout = TimeSpan.FromMilliseconds(ms) };
                }

                return true;
            case "--probe-attempts":
                if (FlagValues.TryWhole(flag, value, 1, 10, errors, out int attempts))
                {
                    _settings = _settings with { Attempts = attempts };
                }

                return true;
            case "--uplink":
                ReadUplink(value, errors);
                return true;
            case "--uplink-netns":
                ReadUplinkNetns(value, errors);
                return true;
            case "--quarantine-recheck":
                if (FlagValues.TryWhole(flag, value, 1, 86_400, errors, out int seconds, unit: "of seconds "))
                {
                    _quarantineRecheck = TimeSpan.FromSeconds(seconds);
                }

                return true;
            default:
                return false;
        }
    }

    public DaemonOptions Apply(DaemonOptions options, List<string> errors) => options with
    {
        Agent = options.Agent with
        {
            Probe = _probe,
            ProbeSettings = _settings,
            Uplink = _uplink,
            UplinkNetns = _uplinkNetns,
            QuarantineRecheck = _quarantineRecheck,
        },
    };

    private void ReadUplink(string value, List<string> errors)
    {
        if (value.Length is 0 or > 15 || value.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            errors.Add($"--uplink '{value}' is not an interface name (1-15 characters, no '/', ':' or spaces)");
            return;
        }

        _uplink = value;
    }

    private void ReadUplinkNetns(string value, List<string> errors)
    {
        if (!File.Exists(value))
        {
            errors.Add($"--uplink-netns '{value}' does not exist; give a namespace file such as /var/run/netns/NAME");
            return;
        }

        _uplinkNetns = value;
    }
}
