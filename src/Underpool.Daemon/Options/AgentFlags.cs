using System.Text;
using Underpool.Agent;
using Underpool.Api;
using Underpool.Core.Pools;

namespace Underpool.Daemon.Options;

/// <summary>The node, the socket, the log and the background loops' flags.</summary>
internal sealed class AgentFlags(string defaultNode) : IFlagGroup
{
    private static readonly Dictionary<string, Duration> Durations = new(StringComparer.Ordinal)
    {
        ["--idle-timeout"] = new(1, 3600, (o, v) => o with { IdleTimeout = v }),
        ["--node-ttl"] = new(3, 3600, (o, v) => o with { NodeTtl = v }),
        ["--store-retry"] = new(0, 120, (o, v) => o with { StoreRetryBudget = v }),
        ["--gc-interval"] = new(0, 86400, (o, v) => o with { GcInterval = v }),
        ["--gc-grace"] = new(0, 86400, (o, v) => o with { GcGrace = v }),
        ["--node-dead-after"] = new(0, 86400, (o, v) => o with { NodeDeadAfter = v }),
    };

    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    // Lowercased as the kubelet lowercases the host name it registers: a host called "Rack1-N1" is node "rack1-n1".
    private AgentOptions _options = new() { Node = defaultNode.ToLowerInvariant() };

    public bool TryReadSwitch(string flag)
    {
        if (flag != "--allow-insecure-socket-dir")
        {
            return false;
        }

        _options = _options with { AllowInsecureSocketDir = true };
        return true;
    }

    public bool TryRead(string flag, string value, List<string> errors)
    {
        switch (flag)
        {
            case "--socket":
                _options = _options with { Socket = value };
                return true;
            case "--node":
                _options = _options with { Node = value };
                return true;
            case "--node-labels":
                ReadLabels(value, errors);
                return true;
            case "--log-format":
                ReadLogFormat(value, errors);
                return true;
            default:
                return TryReadNumber(flag, value, errors);
        }
    }

    public DaemonOptions Apply(DaemonOptions options, List<string> errors)
    {
        // The name pools' --nodes are matched against: the same rule, or a node could never be named by a pool.
        if (!NodeName.IsValid(_options.Node))
        {
            errors.Add($"--node '{PrintableText.Escape(_options.Node)}' is not a valid node name: {NodeName.Rule}");
        }

        if (string.IsNullOrWhiteSpace(_options.Socket))
        {
            errors.Add("--socket is empty");
        }

        // The same sun_path limit the clients check: the agent must not listen where they cannot connect.
        else if (Encoding.UTF8.GetByteCount(Path.GetFullPath(_options.Socket)) > AgentClient.MaxSocketPathBytes)
        {
            errors.Add($"--socket '{_options.Socket}' is too long for a unix socket path (at most {AgentClient.MaxSocketPathBytes} bytes)");
        }

        // The first group: the agent options it gives are the ones the other groups add to.
        return options with { Agent = _options with { NodeLabels = _labels } };
    }

    private bool TryReadNumber(string flag, string value, List<string> errors)
    {
        if (flag == "--max-connections")
        {
            if (FlagValues.TryWhole(flag, value, 1, 65535, errors, out int connections))
            {
                _options = _options with { MaxConnections = connections };
            }

            return true;
        }

        if (!Durations.TryGetValue(flag, out Duration? duration))
        {
            return false;
        }

        if (FlagValues.TrySeconds(flag, value, duration.Min, duration.Max, errors, out TimeSpan seconds))
        {
            _options = duration.Set(_options, seconds);
        }

        return true;
    }

    private void ReadLabels(string text, List<string> errors)
    {
        foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                errors.Add($"--node-labels: '{pair}' is not KEY=VALUE");
                continue;
            }

            _labels[pair[..eq]] = pair[(eq + 1)..];
        }
    }

    private void ReadLogFormat(string value, List<string> errors)
    {
        LogFormat? format = value switch
        {
            "json" => LogFormat.Json,
            "text" => LogFormat.Text,
            _ => null,
        };
        if (format is { } known)
        {
            _options = _options with { LogFormat = known };
        }
        else
        {
            errors.Add($"--log-format '{value}' must be 'json' or 'text'");
        }
    }

    /// <summary>A flag given in seconds: its range and the option it sets.</summary>
    private sealed record Duration(double Min, double Max, Func<AgentOptions, TimeSpan, AgentOptions> Set);
}
