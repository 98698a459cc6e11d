using Underpool.Agent;

namespace Underpool.Daemon.Options;

/// <summary>Reads underpoold's command line: every flag of every group, then every group's checks, so that all bad
/// flags are reported at once.</summary>
internal static class DaemonOptionsParser
{
    public static ParsedFlags Parse(IReadOnlyList<string> args, string defaultNode)
    {
        ArgumentNullException.ThrowIfNull(args);

        // The one place a group of flags plugs in. The agent's comes first: the options it gives are the ones the
        // other groups add to.
        IFlagGroup[] groups = [new AgentFlags(defaultNode), new StoreFlags(), new ProbeFlags(), new KubernetesFlags(defaultNode)];
        var errors = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag is "-h" or "--help")
            {
                return new ParsedFlags(null, [], WantsHelp: true);
            }

            if (flag == "--version")
            {
                return new ParsedFlags(null, [], WantsVersion: true);
            }

            if (groups.Any(g => g.TryReadSwitch(flag)))
            {
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
                errors.Add($"{flag} needs a value (see --help)");
            }
            else if (!groups.Any(g => g.TryRead(flag, value, errors)))
            {
                errors.Add($"unknown option '{flag}' (see --help)");
            }
        }

        var options = new DaemonOptions { Agent = new AgentOptions { Node = defaultNode } };
        foreach (IFlagGroup group in groups)
        {
            options = group.Apply(options, errors);
        }

        return errors.Count == 0 ? new ParsedFlags(options, []) : new ParsedFlags(null, errors);
    }
}
