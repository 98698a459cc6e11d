using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Pools;

/// <summary>The API's text fields of a pool (create and update alike) parsed into values, each bad one adding an error
/// that names the pool, the field and the text, so the user fixes them all in one go.</summary>
/// <remarks>A control character anywhere is refused before parsing: trimming would otherwise quietly drop a trailing
/// newline or NUL that the sender meant as part of the value.</remarks>
internal static class PoolFieldParser
{
    /// <summary>The text, or null with an error when it holds a control character.</summary>
    public static string? Printable(string text, string what, List<string> errors)
    {
        if (PrintableText.Problem(what, text) is { } problem)
        {
            errors.Add(problem);
            return null;
        }

        return text;
    }

    public static List<IpRange> Ranges(IEnumerable<string> texts, string pool, List<string> errors)
    {
        var ranges = new List<IpRange>();
        foreach (string text in texts)
        {
            if (Printable(text, $"pool '{pool}': range", errors) is null)
            {
                continue;
            }

            if (IpRange.TryParse(text, out IpRange range, out string? error))
            {
                ranges.Add(range);
            }
            else
            {
                errors.Add($"pool '{pool}': {error}");
            }
        }

        return ranges;
    }

    /// <summary>Parses addresses, adding one error per bad one; returns the good ones.</summary>
    public static List<IpAddress> Addresses(IEnumerable<string> texts, string what, List<string> errors)
    {
        var result = new List<IpAddress>();
        foreach (string text in texts)
        {
            if (Printable(text, what, errors) is null)
            {
                continue;
            }

            if (IpAddress.TryParse(text, out IpAddress address))
            {
                result.Add(address);
            }
            else
            {
                errors.Add($"{what} '{text}' is not an IPv4 or IPv6 address");
            }
        }

        return result;
    }

    /// <summary>The gateway, or null when <paramref name="text"/> is blank (or bad: then with an error).</summary>
    public static IpAddress? Gateway(string? text, string pool, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text) || Printable(text, $"pool '{pool}': gateway", errors) is null)
        {
            return null;
        }

        if (IpAddress.TryParse(text, out IpAddress gateway))
        {
            return gateway;
        }

        errors.Add($"pool '{pool}': gateway '{text}' is not an IPv4 or IPv6 address");
        return null;
    }

    public static List<PoolRoute> Routes(IEnumerable<AssignedRoute> texts, string pool, List<string> errors)
    {
        var routes = new List<PoolRoute>();
        foreach (AssignedRoute route in texts)
        {
            string dst = route.Dst ?? string.Empty;
            if (Printable(dst, $"pool '{pool}': route destination", errors) is null
                || (route.Gw is { } gw && Printable(gw, $"pool '{pool}': route {dst} gateway", errors) is null))
            {
                continue;
            }

            if (!IpCidr.TryParse(dst, out IpCidr destination, out string? dstError))
            {
                errors.Add($"pool '{pool}': route destination {dstError}");
                continue;
            }

            IpAddress? via = null;
            if (!string.IsNullOrWhiteSpace(route.Gw))
            {
                if (!IpAddress.TryParse(route.Gw, out IpAddress routeGw))
                {
                    errors.Add($"pool '{pool}': route {route.Dst} gateway '{route.Gw}' is not an address");
                    continue;
                }

                via = routeGw;
            }

            routes.Add(new PoolRoute(destination, via));
        }

        return routes;
    }

    /// <summary>The node affinity's names (trimmed) and selector (trimmed, null when blank); the validator judges them.</summary>
    public static NodeAffinity Affinity(IEnumerable<string> nodes, string? selector, string pool, List<string> errors)
    {
        List<string> names = nodes
            .Select(n => Printable(n, $"pool '{pool}': node name", errors))
            .OfType<string>()
            .Select(n => n.Trim())
            .ToList();
        string? trimmed = string.IsNullOrWhiteSpace(selector) || Printable(selector, $"pool '{pool}': node selector", errors) is null
            ? null
            : selector.Trim();
        return new NodeAffinity(names, trimmed);
    }
}
