using System.CommandLine.Parsing;
using System.Globalization;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Parsing;

/// <summary>Cheap shape checks on option values with a precise message each; what an address or pool means is the agent's to judge.</summary>
internal static class OptionValueParsers
{
    /// <summary>"a,b" and repeated options alike become one list; an empty item is a typo worth reporting.</summary>
    public static string[] CommaList(ArgumentResult result)
    {
        var items = new List<string>();
        foreach (Token token in result.Tokens)
        {
            foreach (string item in token.Value.Split(','))
            {
                string trimmed = item.Trim();
                if (trimmed.Length == 0)
                {
                    result.AddError($"{OptionName(result)} has an empty item in '{token.Value}'; separate values with single commas");
                    return [];
                }

                items.Add(trimmed);
            }
        }

        return [.. items];
    }

    /// <summary>Each --route is DST or DST,GW.</summary>
    public static AssignedRoute[] Routes(ArgumentResult result)
    {
        var routes = new List<AssignedRoute>();
        foreach (Token token in result.Tokens)
        {
            string[] parts = token.Value.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length > 2 || parts[0].Length == 0 || (parts.Length == 2 && parts[1].Length == 0))
            {
                result.AddError(
                    $"--route takes DST[,GW], e.g. '0.0.0.0/0,10.0.0.1' or '10.9.0.0/16'; "
                    + $"'{token.Value}' {(parts[0].Length == 0 ? "has no destination" : parts.Length > 2 ? "has more than two parts" : "has an empty gateway")}");
                return [];
            }

            routes.Add(new AssignedRoute { Dst = parts[0], Gw = parts.Length == 2 ? parts[1] : null });
        }

        return [.. routes];
    }

    public static int? Vlan(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int vlan))
        {
            result.AddError($"--vlan takes the VLAN ID as a whole number, e.g. --vlan 100; got '{text}'");
            return null;
        }

        return vlan;
    }

    /// <summary>--socket: a path the kernel can bind (sun_path holds 107 bytes and a NUL).</summary>
    public static string SocketPath(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        int bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes == 0 || bytes > Api.AgentClient.MaxSocketPathBytes)
        {
            result.AddError(
                $"--socket takes the agent's unix socket path, at most {Api.AgentClient.MaxSocketPathBytes} bytes long; "
                + (bytes == 0 ? "got an empty path" : $"'{text}' is {bytes} bytes"));
        }

        return text;
    }

    public static Output.OutputFormat OutputFormat(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return Output.OutputFormat.Table;
        }

        string text = result.Tokens[0].Value;
        switch (text.ToUpperInvariant())
        {
            case "TABLE":
                return Output.OutputFormat.Table;
            case "JSON":
                return Output.OutputFormat.Json;
            default:
                result.AddError($"-o/--output takes 'table' or 'json'; got '{text}'");
                return Output.OutputFormat.Table;
        }
    }

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
