using System.Globalization;

namespace Underpool.Agent;

/// <summary>Parses underpoold's command line into <see cref="AgentOptions"/>, validating every flag in one place.</summary>
public static class AgentOptionsParser
{
    public const string Help = """
        underpoold - the Underpool agent: one per node, the only writer of the IPAM store.

        The 'underpool' CNI plugin and 'underpoolctl' talk to it over a unix socket (HTTP+JSON, mode 0600).

        Usage: underpoold --node NAME [options]

        Options:
          --node NAME             this node's name; pools with node affinity are matched against it
                                  (default: the host name)
          --node-labels K=V,...   this node's labels, matched by pools' --node-selector (default: none)
          --socket PATH           where to listen (default: /run/underpool/agent.sock)
          --store embedded        where allocations live; 'embedded' is a SQLite file (default)
          --data-dir DIR          the embedded store's directory (default: /var/lib/underpool);
                                  several agents on one host may share it
          --log-format json|text  structured JSON lines (default) or one readable line per event

        Conflict probing (before an ADD returns an address, ARP / NDP duplicate address detection on the uplink):
          --probe on|off          default for pools that do not set their own (default: on)
          --probe-timeout MS      wait after each probe round, 1-1000 ms (default: 15)
          --probe-attempts N      probe rounds, 1-10 (default: 2); nothing answering costs MS x N per ADD
          --uplink IFACE          the uplink when a netconf names no 'master' (default: none; then such
                                  ADDs are not probed)
          --uplink-netns PATH     the network namespace holding the uplink, e.g. /var/run/netns/node1
                                  (default: the agent's own)
          --quarantine-recheck S  seconds between re-probes of quarantined addresses this node found;
                                  quiet ones are freed (default: 60)
          -h, --help              show this text
          --version               print the version

        Examples:
          underpoold --node rack1-n1 --node-labels rack=r1,zone=a
          underpoold --node lab1 --socket /tmp/lab1.sock --data-dir /tmp/underpool --log-format text
          underpoold --node lab1 --uplink eth0 --uplink-netns /var/run/netns/lab1 --probe-timeout 20

        Metrics: GET /metrics on the socket, e.g.
          curl --unix-socket /run/underpool/agent.sock http://agent/metrics
        """;

    /// <summary>The options, or an error message naming the flag; <paramref name="wantsHelp"/> for -h/--version.</summary>
    public static AgentOptions? Parse(IReadOnlyList<string> args, string defaultNode, out string? error, out string? wantsInfo)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        wantsInfo = null;
        string socket = Api.Contracts.ApiRoutes.DefaultSocket;
        string node = defaultNode;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string store = "embedded";
        string dataDir = "/var/lib/underpool";
        string logFormat = "json";
        var probe = new ProbeFlags();

        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag is "-h" or "--help")
            {
                wantsInfo = "help";
                return null;
            }

            if (flag == "--version")
            {
                wantsInfo = "version";
                return null;
            }

            // Accept both "--flag value" and "--flag=value".
            string? value = null;
            int eq = flag.IndexOf('=', StringComparison.Ordinal);
            if (flag.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                value = flag[(eq + 1)..];
                flag = flag[..eq];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }

            if (value is null)
            {
                error = $"{flag} needs a value (see --help)";
                return null;
            }

            switch (flag)
            {
                case "--socket":
                    socket = value;
                    break;
                case "--node":
                    node = value;
                    break;
                case "--node-labels":
                    if (!TryParseLabels(value, labels, out error))
                    {
                        return null;
                    }

                    break;
                case "--store":
                    store = value;
                    break;
                case "--data-dir":
                    dataDir = value;
                    break;
                case "--log-format":
                    logFormat = value;
                    break;
                default:
                    if (!probe.TryRead(flag, value, out bool known, out error))
                    {
                        return null;
                    }

                    if (!known)
                    {
                        error = $"unknown option '{flag}' (see --help)";
                        return null;
                    }

                    break;
            }
        }

        error = Validate(socket, node, store, dataDir, logFormat);
        return error is not null
            ? null
            : new AgentOptions
            {
                Socket = socket,
                Node = node,
                NodeLabels = labels,
                Store = store,
                DataDir = dataDir,
                LogFormat = logFormat,
                Probe = probe.Probe,
                ProbeSettings = probe.Settings,
                Uplink = probe.Uplink,
                UplinkNetns = probe.UplinkNetns,
                QuarantineRecheck = probe.QuarantineRecheck,
            };
    }

    private static string? Validate(string socket, string node, string store, string dataDir, string logFormat)
    {
        if (string.IsNullOrWhiteSpace(node) || node.Length > 253 || node.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            return $"--node '{node}' is not a node name (1-253 characters, no spaces or '/')";
        }

        if (string.IsNullOrWhiteSpace(socket))
        {
            return "--socket is empty";
        }

        // The same sun_path limit the clients check: the agent must not listen where they cannot connect.
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(socket)) > Api.AgentClient.MaxSocketPathBytes)
        {
            return $"--socket '{socket}' is too long for a unix socket path (at most {Api.AgentClient.MaxSocketPathBytes} bytes)";
        }

        if (store != "embedded")
        {
            return $"--store '{store}' is not supported; this build knows 'embedded' (etcd and kubernetes come later)";
        }

        if (string.IsNullOrWhiteSpace(dataDir))
        {
            return "--data-dir is empty";
        }

        return logFormat is "json" or "text" ? null : $"--log-format '{logFormat}' must be 'json' or 'text'";
    }

    private static bool TryParseLabels(string text, Dictionary<string, string> labels, out string? error)
    {
        foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"--node-labels: '{pair}' is not KEY=VALUE");
                return false;
            }

            labels[pair[..eq]] = pair[(eq + 1)..];
        }

        error = null;
        return true;
    }
}
