using System.Text.Json;

namespace Underpool.Kubernetes.Annotations;

/// <summary>The few JSON shapes our annotations use, read strictly: an unknown key is an error (a typo such as
/// "ipV4" would otherwise silently mean "no pools"), and every error says what was expected.</summary>
internal static class JsonShapes
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public static bool TryParse(string text, out JsonDocument? document, out string? error)
    {
        try
        {
            document = JsonDocument.Parse(text, Options);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            document = null;
            error = $"is not valid JSON ({e.Message})";
            return false;
        }
    }

    /// <summary>A JSON array of strings, such as <c>["p1","p2"]</c>.</summary>
    public static bool TryStrings(JsonElement element, string what, out IReadOnlyList<string> values, out string? error)
    {
        values = [];
        error = null;
        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            error = $"{what} must be a list of names, like [\"pool-a\",\"pool-b\"]";
            return false;
        }

        values = element.EnumerateArray().Select(e => e.GetString()!).ToList();
        return true;
    }

    /// <summary>Checks that <paramref name="element"/> is an object with no key outside <paramref name="allowed"/>.</summary>
    public static bool TryObject(JsonElement element, string example, IReadOnlyCollection<string> allowed, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"must be a JSON object, like {example}";
            return false;
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                error = $"has an unknown key \"{property.Name}\" (allowed: {string.Join(", ", allowed)}), like {example}";
                return false;
            }
        }

        return true;
    }

    /// <summary>The object of a by-interface list whose "interface" is <paramref name="ifName"/>, or none.</summary>
    public static bool TryFindInterface(JsonElement root, string ifName, string example, IReadOnlyCollection<string> allowed, out JsonElement? entry, out string? error)
    {
        entry = null;
        error = null;
        if (root.ValueKind != JsonValueKind.Array)
        {
            error = $"must be a JSON list of interfaces, like {example}";
            return false;
        }

        foreach (JsonElement item in root.EnumerateArray())
        {
            if (!TryObject(item, example, allowed, out error))
            {
                return false;
            }

            if (!item.TryGetProperty("interface", out JsonElement name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } interfaceName)
            {
                error = $"has an entry without \"interface\", like {example}";
                return false;
            }

            if (interfaceName == ifName)
            {
                if (entry is not null)
                {
                    error = $"lists interface {ifName} twice";
                    return false;
                }

                entry = item;
            }
        }

        return true;
    }
}
