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
          --node NAME             this node's name; pools with node affinity are matched against it: a
                                  DNS-1123 subdomain (lowercase letters, digits, '-', '.'; at most 253)
                                  (default: the host name, lowercased)
          --node-labels K=V,...   this node's labels, matched by pools' --node-selector (default: none)
          --socket PATH           where to listen (default: /run/underpool/agent.sock); its directory must
                                  be writable by root or this agent's user only, and so must every directory
                                  above it unless sticky (/tmp): whoever else can write there could replace
                                  the socket and answer the plugin in the agent's place
          --allow-insecure-socket-dir  start even when that check fails (default: refuse to start)
          --max-connections N     connections the socket holds at once; more are closed at once and the
                                  plugin reports 'try again later' (default: 512)
          --idle-timeout SECONDS  close a connection that sends no request, or no complete request headers,
                                  for this long (default: 10); clients send their request at once
          --node-ttl SECONDS      how long the store counts this node alive after a heartbeat; the
                                  agent beats every third of it (default: 15)
          --store embedded|etcd   where allocations live: 'embedded' is a SQLite file on this host
                                  (default), 'etcd' a cluster every node shares
          --data-dir DIR          the embedded store's directory (default: /var/lib/underpool);
                                  several agents on one host may share it
          --etcd-endpoints URLS   etcd client URLs, comma-separated (http://HOST:PORT or https://...)
          --etcd-prefix PREFIX    the key prefix Underpool owns in etcd (default: /underpool)
          --etcd-cert FILE        TLS client certificate for etcd (with --etcd-key)
          --etcd-key FILE         its private key
          --etcd-ca FILE          the CA that signed etcd's server certificate
          --store-timeout SECONDS deadline of every store call (default: 2); past it an ADD fails with
                                  CNI error 11 (try again later) instead of hanging
          --store-retry SECONDS   how long an ADD or DEL retries a store that is unavailable (an etcd
                                  leader election) before answering CNI error 11 (default: 10; 0 = no retry)
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

        Garbage collection (addresses of pods that went away without a DEL):
          --gc-interval SECONDS   how often to release this node's allocations whose network namespace
                                  path no longer exists (default: 60; 0 = never, 'underpoolctl gc run'
                                  still does it on request); static endpoints keep their addresses
                                  and are marked not running
          --gc-grace SECONDS      never touch an allocation younger than this, so an ADD in flight is
                                  safe (default: 30)
          --node-dead-after SECONDS  one agent, elected through the store, releases the non-static
                                  addresses of a node whose agent has been dead this long (default: 300;
                                  0 = never; 'underpoolctl node forget NAME' does it at once)

          -h, --help              show this text
          --version               print the version

        Examples:
          underpoold --node rack1-n1 --node-labels rack=r1,zone=a
          underpoold --node lab1 --socket /tmp/lab1.sock --data-dir /tmp/underpool --log-format text
          underpoold --node rack1-n1 --store etcd --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379
          underpoold --node lab1 --gc-interval 10 --gc-grace 30
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
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        // Lowercased as the kubelet lowercases the host name it registers: a host called "Rack1-N1" is node "rack1-n1".
        var options = new AgentOptions { Node = defaultNode.ToLowerInvariant(), NodeLabels = labels };
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

            if (flag == "--allow-insecure-socket-dir")
            {
                options = options with { AllowInsecureSocketDir = true };
                continue;
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

            AgentOptions? next = Apply(options, flag, value, labels, probe, out error);
            if (next is null)
            {
                return null;
            }

            options = next;
        }

        options = options with
        {
            Probe = probe.Probe,
            ProbeSettings = probe.Settings,
            Uplink = probe.Uplink,
            UplinkNetns = probe.UplinkNetns,
            QuarantineRecheck = probe.QuarantineRecheck,
        };
        error = Validate(options);
        return error is null ? options : null;
    }

    /// <summary>The options with one flag applied, or null and an error naming the flag.</summary>
    private static AgentOptions? Apply(
        AgentOptions options, string flag, string value, Dictionary<string, string> labels, ProbeFlags probe, out string? error)
    {
        error = null;
        switch (flag)
        {
            case "--socket":
                return options with { Socket = value };
            case "--node":
                return options with { Node = value };
            case "--max-connections":
                return TryParseCount(flag, value, 1, 65535, out int connections, out error) ? options with { MaxConnections = connections } : null;
            case "--idle-timeout":
                return TryParseSeconds(flag, value, 1, 3600, out TimeSpan idle, out error) ? options with { IdleTimeout = idle } : null;
            case "--node-labels":
                return TryParseLabels(value, labels, out error) ? options : null;
            case "--node-ttl":
                return TryParseSeconds(flag, value, 3, 3600, out TimeSpan ttl, out error) ? options with { NodeTtl = ttl } : null;
            case "--store":
                return options with { Store = value };
            case "--data-dir":
                return options with { DataDir = value };
            case "--etcd-endpoints":
                return options with { EtcdEndpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            case "--etcd-prefix":
                return options with { EtcdPrefix = value };
            case "--etcd-cert":
                return options with { EtcdCertFile = value };
            case "--etcd-key":
                return options with { EtcdKeyFile = value };
            case "--etcd-ca":
                return options with { EtcdCaFile = value };
            case "--store-timeout":
                return TryParseSeconds(flag, value, 0.1, 60, out TimeSpan timeout, out error) ? options with { StoreTimeout = timeout } : null;
            case "--store-retry":
                return TryParseSeconds(flag, value, 0, 120, out TimeSpan budget, out error) ? options with { StoreRetryBudget = budget } : null;
            case "--gc-interval":
                return TryParseSeconds(flag, value, 0, 86400, out TimeSpan interval, out error) ? options with { GcInterval = interval } : null;
            case "--gc-grace":
                return TryParseSeconds(flag, value, 0, 86400, out TimeSpan grace, out error) ? options with { GcGrace = grace } : null;
            case "--node-dead-after":
                return TryParseSeconds(flag, value, 0, 86400, out TimeSpan deadAfter, out error) ? options with { NodeDeadAfter = deadAfter } : null;
            case "--log-format":
                return options with { LogFormat = value };
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

                return options;
        }
    }

    private static string? Validate(AgentOptions options)
    {
        // The name pools' --nodes are matched against: the same rule, or a node could never be named by a pool.
        if (!Core.Pools.NodeName.IsValid(options.Node))
        {
            return $"--node '{Core.Pools.PrintableText.Escape(options.Node)}' is not a valid node name: {Core.Pools.NodeName.Rule}";
        }

        if (string.IsNullOrWhiteSpace(options.Socket))
        {
            return "--socket is empty";
        }

        // The same sun_path limit the clients check: the agent must not listen where they cannot connect.
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFullPath(options.Socket)) > Api.AgentClient.MaxSocketPathBytes)
        {
            return $"--socket '{options.Socket}' is too long for a unix socket path (at most {Api.AgentClient.MaxSocketPathBytes} bytes)";
        }

        string? storeError = options.Store switch
        {
            "embedded" => string.IsNullOrWhiteSpace(options.DataDir) ? "--data-dir is empty" : null,
            "etcd" => ValidateEtcd(options),
            _ => $"--store '{options.Store}' is not supported; this build knows 'embedded' and 'etcd'",
        };
        if (storeError is not null)
        {
            return storeError;
        }

        return options.LogFormat is "json" or "text" ? null : $"--log-format '{options.LogFormat}' must be 'json' or 'text'";
    }

    private static string? ValidateEtcd(AgentOptions options)
    {
        if (options.EtcdEndpoints.Count == 0)
        {
            return "--store etcd needs --etcd-endpoints URL[,URL...], e.g. --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379";
        }

        foreach (string endpoint in options.EtcdEndpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0
                || uri.AbsolutePath != "/")
            {
                return $"--etcd-endpoints: '{endpoint}' is not an etcd client URL (http://HOST:PORT or https://HOST:PORT)";
            }
        }

        if (!options.EtcdPrefix.StartsWith('/') || options.EtcdPrefix.Length < 2 || options.EtcdPrefix.EndsWith('/')
            || options.EtcdPrefix.Any(char.IsWhiteSpace))
        {
            return $"--etcd-prefix '{options.EtcdPrefix}' must start with '/', not end with '/' and hold no spaces, e.g. /underpool";
        }

        if ((options.EtcdCertFile is null) != (options.EtcdKeyFile is null))
        {
            return "--etcd-cert and --etcd-key go together: give both (TLS client authentication) or neither";
        }

        foreach ((string flag, string? file) in new[] { ("--etcd-cert", options.EtcdCertFile), ("--etcd-key", options.EtcdKeyFile), ("--etcd-ca", options.EtcdCaFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                return $"{flag} {file}: no such file";
            }
        }

        return null;
    }

    private static bool TryParseSeconds(string flag, string text, double min, double max, out TimeSpan value, out string? error)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= min && seconds <= max)
        {
            value = TimeSpan.FromSeconds(seconds);
            error = null;
            return true;
        }

        value = default;
        error = string.Create(CultureInfo.InvariantCulture, $"{flag} '{text}' must be a number of seconds from {min} to {max}");
        return false;
    }

    private static bool TryParseCount(string flag, string text, int min, int max, out int value, out string? error)
    {
        error = ProbeFlags.TryInt(text, min, max, out value)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{flag} '{text}' must be a whole number from {min} to {max}");
        return error is null;
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
