using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>What a full <c>prevResult</c> (the main plugin's, with <c>interfaces</c>) says about the container's
/// interface: its MAC, which the agent records so that a conflict probe this interface answers is known as ours.</summary>
public static class PrevResultInterface
{
    /// <summary>The <c>mac</c> of the interface named <paramref name="ifName"/> inside the container (an entry of
    /// <c>interfaces</c> with a <c>sandbox</c>), or null when the result names none. Never an error: the MAC is a
    /// hint, and an IPAM plugin's own abbreviated result has no interfaces at all.</summary>
    public static string? MacOf(JsonElement prevResult, string? ifName)
    {
        if (ifName is null || prevResult.ValueKind != JsonValueKind.Object
            || !JsonFields.TryGet(prevResult, "interfaces", out JsonElement interfaces) || interfaces.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement entry in interfaces.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && Text(entry, "name") == ifName
                && !string.IsNullOrEmpty(Text(entry, "sandbox"))
                && Text(entry, "mac") is { Length: > 0 } mac)
            {
                return mac;
            }
        }

        return null;
    }

    private static string? Text(JsonElement entry, string name) =>
        JsonFields.TryGet(entry, name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
