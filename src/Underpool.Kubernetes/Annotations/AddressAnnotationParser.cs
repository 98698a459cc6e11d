using System.Text.Json;
using Underpool.Core.Net;

namespace Underpool.Kubernetes.Annotations;

/// <summary>Reads the requested-address annotations into the text the agent's requested-address path takes (one
/// address per family), checking each address and its family here so the message can name the annotation.</summary>
internal static class AddressAnnotationParser
{
    public const string IpExample = "10.20.0.33 or 10.20.0.33,fd00:20::33";
    public const string ByInterfaceExample = """[{"interface":"net1","ipv4":"10.20.0.33","ipv6":"fd00:20::33"}]""";

    private static readonly string[] InterfaceKeys = ["interface", "ipv4", "ipv6"];

    /// <summary><see cref="UnderpoolAnnotations.Ip"/>: one address, or one per family separated by a comma.</summary>
    public static bool TryParseIp(string text, out IReadOnlyList<string> addresses, out string? error)
    {
        addresses = [];
        error = null;
        var byFamily = new Dictionary<IpFamily, string>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!IpAddress.TryParse(part, out IpAddress address))
            {
                error = $"'{part}' is not an IP address; write {IpExample}";
                return false;
            }

            if (!byFamily.TryAdd(address.Family, address.ToString()))
            {
                error = $"asks for two {address.Family.ToDisplay()} addresses; one interface gets one address per family";
                return false;
            }
        }

        addresses = byFamily.OrderBy(a => a.Key).Select(a => a.Value).ToList();
        return true;
    }

    /// <summary><see cref="UnderpoolAnnotations.IpsByInterface"/>: the entry of <paramref name="ifName"/>, or null
    /// when the list has none for it.</summary>
    public static bool TryParseByInterface(string text, string ifName, out IReadOnlyList<string>? addresses, out string? error)
    {
        addresses = null;
        if (!JsonShapes.TryParse(text, out JsonDocument? document, out error))
        {
            return false;
        }

        using (document)
        {
            if (!JsonShapes.TryFindInterface(document!.RootElement, ifName, ByInterfaceExample, InterfaceKeys, out JsonElement? entry, out error))
            {
                return false;
            }

            if (entry is null)
            {
                return true;
            }

            var found = new List<string>(2);
            foreach ((string key, IpFamily family) in new[] { ("ipv4", IpFamily.V4), ("ipv6", IpFamily.V6) })
            {
                if (!entry.Value.TryGetProperty(key, out JsonElement value))
                {
                    continue;
                }

                if (value.ValueKind != JsonValueKind.String || !IpAddress.TryParse(value.GetString()!, out IpAddress address) || address.Family != family)
                {
                    error = $"\"{key}\" of interface {ifName} must be one {family.ToDisplay()} address, like {ByInterfaceExample}";
                    return false;
                }

                found.Add(address.ToString());
            }

            if (found.Count == 0)
            {
                error = $"gives interface {ifName} no address: write \"ipv4\" and/or \"ipv6\", like {ByInterfaceExample}";
                return false;
            }

            addresses = found;
            return true;
        }
    }
}
