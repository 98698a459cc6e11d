using System.Text.Json;

namespace Underpool.Cni.Json;

/// <summary>Reads typed fields out of a <see cref="JsonElement"/>, turning a wrong type into a
/// <see cref="CniErrorCode.InvalidNetworkConfig"/> error that names the field, shows the value and says what is expected.</summary>
/// <remarks>Each reader returns null on success. A JSON null counts as absent, as it does for Go plugins.</remarks>
internal static class JsonFields
{
    private const int MaxShownValueLength = 80;

    /// <summary>The property's value, or false when it is absent or null.</summary>
    internal static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    internal static CniError? OptionalString(JsonElement obj, string name, string path, out string? value)
    {
        value = null;
        if (!TryGet(obj, name, out JsonElement element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(path, "a string", element);
        }

        value = element.GetString();
        return null;
    }

    internal static CniError? OptionalBool(JsonElement obj, string name, string path, out bool value)
    {
        value = false;
        if (!TryGet(obj, name, out JsonElement element))
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return WrongType(path, "true or false", element);
        }

        value = element.GetBoolean();
        return null;
    }

    internal static CniError? OptionalObject(JsonElement obj, string name, string path, out JsonElement? value)
    {
        value = null;
        if (!TryGet(obj, name, out JsonElement element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return WrongType(path, "an object", element);
        }

        value = element;
        return null;
    }

    /// <summary>An optional list of non-empty strings; absent reads as an empty list.</summary>
    internal static CniError? OptionalStringList(JsonElement obj, string name, string path, string example, out IReadOnlyList<string> value)
    {
        value = [];
        if (!TryGet(obj, name, out JsonElement element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return WrongType(path, $"a list of strings, like {example}", element);
        }

        var items = new List<string>(element.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return WrongType($"{path}[{index}]", $"a string (the whole field is a list of strings, like {example})", item);
            }

            string text = item.GetString() ?? string.Empty;
            if (text.Length == 0)
            {
                return new CniError(CniErrorCode.InvalidNetworkConfig, $"{path}[{index}] is an empty string; remove it or fill it in, like {example}");
            }

            items.Add(text);
            index++;
        }

        value = items;
        return null;
    }

    internal static CniError WrongType(string path, string expected, JsonElement got) =>
        new(CniErrorCode.InvalidNetworkConfig, $"{path} must be {expected}; got {Describe(got)}");

    /// <summary>The value in plain words, with its text when short enough to be useful.</summary>
    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => $"an object: {Shorten(element.GetRawText())}",
        JsonValueKind.Array => $"a list: {Shorten(element.GetRawText())}",
        JsonValueKind.String => $"the string {Shorten(element.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shorten(string text) =>
        text.Length <= MaxShownValueLength ? text : string.Concat(text.AsSpan(0, MaxShownValueLength), "...");
}
