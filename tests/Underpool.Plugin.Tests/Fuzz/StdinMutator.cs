using System.Text;
using System.Text.Json.Nodes;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>Damages a network config: as a tree (wrong types, missing and extra keys, deep nesting, odd strings, huge
/// numbers and lists) or as bytes (flips, truncation, invalid UTF-8, lone surrogate escapes, duplicate keys).</summary>
internal sealed partial class StdinMutator
{
    private static readonly string[] OddStrings =
    [
        "", " ", "a/b", "eth0:1", "..", "-x", "x y", "\u0000", "a\u0000b", "\n", "\u007f", "é", "\U0001F4A5", "\uFFFD",
        "10.0.0.5/33", "1.1.1.1/abc", "172.20.1.50/16", "::ffff:172.20.1.9", "fd00:20:1::7/64", "172.20.1.", "0.0.0.0",
        "relative/agent.sock", "/nonexistent/agent.sock", "1.1.0", "99.0.0", "underpool", "v4", "v6", "default",
        new string('n', 300), new string('x', 5000),
    ];

    private static readonly string[] OddNumbers =
    [
        "0", "-1", "1e400", "-1e400", "123456789012345678901234567890123456789", "1.5", "-0", "4294967296", "9223372036854775808",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xff], [0xfe, 0xff], [0xc0, 0x80], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc3],
    ];

    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800", "\\uDBFF"];

    private readonly Random _random;

    public StdinMutator(Random random) => _random = random;

    public string MutateTree(JsonObject root)
    {
        List<(JsonNode Parent, string? Key, int Index, string Path)> slots = Slots(root, "");
        if (slots.Count == 0)
        {
            root["cniVersion"] = OddValue();
            return "cniVersion odd in an emptied config";
        }

        (JsonNode parent, string? key, int index, string path) = slots[_random.Next(slots.Count)];
        switch (_random.Next(8))
        {
            case 0:
                Set(parent, key, index, OddValue());
                return $"wrong type at {path}";
            case 1:
                if (parent is JsonObject removeFrom && key is not null)
                {
                    removeFrom.Remove(key);
                    return $"removed {path}";
                }

                Set(parent, key, index, null);
                return $"null at {path}";
            case 2:
                int depth = new[] { 20, 63, 65, 300, 5000 }[_random.Next(5)];
                Set(parent, key, index, Nested(depth));
                return $"nested {depth} deep at {path}";
            case 3:
            case 4:
                string odd = OddStrings[_random.Next(OddStrings.Length)];
                Set(parent, key, index, JsonValue.Create(odd));
                return $"string of {odd.Length} odd chars at {path}";
            case 5:
                string number = OddNumbers[_random.Next(OddNumbers.Length)];
                Set(parent, key, index, JsonNode.Parse(number));
                return $"number {number} at {path}";
            case 6:
                int count = new[] { 3, 1000, 80_000 }[_random.Next(3)]; // 80,000 of them are over the agent's 1 MiB
                root["runtimeConfig"] = new JsonObject { ["ips"] = JsonValue.Create($"@IPS{count}@") };
                return $"runtimeConfig.ips of {count}";
            default:
                JsonObject target = parent as JsonObject ?? root;
                string junk = new[] { "IPv4", "zz", "pools", "prevResult", "cni.dev/attachments", "" }[_random.Next(6)];
                target[junk] = OddValue();
                return $"extra key '{junk}' near {path}";
        }
    }

    public string MutateBytes(ref byte[] stdin)
    {
        switch (_random.Next(8))
        {
            case 0:
                int flips = 1 + _random.Next(4);
                for (int i = 0; i < flips && stdin.Length > 0; i++)
                {
                    stdin[_random.Next(stdin.Length)] = (byte)_random.Next(256);
                }

                return $"{flips} bytes flipped";
            case 1:
                int keep = stdin.Length == 0 ? 0 : _random.Next(stdin.Length);
                stdin = stdin[..keep];
                return $"truncated to {keep} bytes";
            case 2:
                byte[] bad = InvalidUtf8[_random.Next(InvalidUtf8.Length)];
                stdin = InsertInString(stdin, bad);
                return $"invalid UTF-8 {Convert.ToHexString(bad)} in a string";
            case 3:
            case 4:
                string lone = LoneSurrogates[_random.Next(LoneSurrogates.Length)];
                stdin = InsertInString(stdin, Encoding.ASCII.GetBytes(lone));
                return $"lone surrogate escape {lone} in a string or key";
            case 5:
                string duplicate = new[] { "\"cniVersion\":\"0.1.0\",", "\"name\":\"dup\",", "\"ipam\":{},", "\"name\":5," }[_random.Next(4)];
                int brace = Array.IndexOf(stdin, (byte)'{');
                stdin = brace < 0 ? stdin : Insert(stdin, brace + 1, Encoding.ASCII.GetBytes(duplicate));
                return $"duplicate key {duplicate}";
            case 6:
                string whole = new[] { "", " \n", "null", "[]", "\"x\"", "{", "{}", "\uFEFF{}", "{\"cniVersion\":\"1.0.0\"}" }[_random.Next(9)];
                stdin = Encoding.UTF8.GetBytes(whole);
                return $"replaced by '{whole}'";
            default:
                byte control = (byte)_random.Next(0x20);
                stdin = InsertInString(stdin, [control]);
                return $"raw control byte 0x{control:x2} in a string";
        }
    }

    /// <summary>Every object property and array element under <paramref name="node"/>, with its path.</summary>
    private static List<(JsonNode Parent, string? Key, int Index, string Path)> Slots(JsonNode node, string path)
    {
        var slots = new List<(JsonNode, string?, int, string)>();
        if (node is JsonObject obj)
        {
            foreach ((string key, JsonNode? child) in obj.ToList())
            {
                string inner = path.Length == 0 ? key : $"{path}.{key}";
                slots.Add((obj, key, -1, inner));
                if (child is not null)
                {
                    slots.AddRange(Slots(child, inner));
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                slots.Add((array, null, i, $"{path}[{i}]"));
                if (array[i] is { } child)
                {
                    slots.AddRange(Slots(child, $"{path}[{i}]"));
                }
            }
        }

        return slots;
    }

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject obj && key is not null)
        {
            obj[key] = value;
        }
        else if (parent is JsonArray array)
        {
            array[index] = value;
        }
    }

    private JsonNode? OddValue() => _random.Next(7) switch
    {
        0 => JsonValue.Create(_random.Next(-5, 5)),
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => new JsonArray(),
        3 => new JsonObject(),
        4 => null,
        5 => new JsonArray(JsonValue.Create(1), null, new JsonObject()),
        _ => JsonValue.Create(OddStrings[_random.Next(OddStrings.Length)]),
    };

    // A placeholder, expanded in the serialized text by ExpandPlaceholders: JsonNode's writer refuses to go past 64
    // levels, and deeper is the point.
    private static JsonValue Nested(int depth) => JsonValue.Create($"@NEST{depth}@");

    /// <summary>Replaces each placeholder in the serialized config: nesting by arrays or objects that many levels deep,
    /// a list by that many addresses (built as text: as JsonNodes, 80,000 of them cost more than running the case).</summary>
    public static byte[] ExpandPlaceholders(byte[] stdin)
    {
        string text = Encoding.UTF8.GetString(stdin);
        string expanded = Placeholder().Replace(text, match =>
        {
            int n = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (match.Groups[1].Value == "IPS")
            {
                return "[" + string.Join(',', Enumerable.Range(0, n).Select(i => $"\"172.20.1.{i % 250}\"")) + "]";
            }

            return n % 2 == 0
                ? string.Concat(Enumerable.Repeat("[", n)) + string.Concat(Enumerable.Repeat("]", n))
                : string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + string.Concat(Enumerable.Repeat("}", n));
        });
        return ReferenceEquals(expanded, text) ? stdin : Encoding.UTF8.GetBytes(expanded);
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"@(NEST|IPS)([0-9]+)@\"")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    /// <summary>Inserts <paramref name="bytes"/> just after a random '"' (inside a string or a key, mostly).</summary>
    private byte[] InsertInString(byte[] stdin, byte[] bytes)
    {
        var quotes = new List<int>();
        for (int i = 0; i < stdin.Length; i++)
        {
            if (stdin[i] == (byte)'"')
            {
                quotes.Add(i);
            }
        }

        return quotes.Count == 0 ? [.. stdin, .. bytes] : Insert(stdin, quotes[_random.Next(quotes.Count)] + 1, bytes);
    }

    private static byte[] Insert(byte[] stdin, int at, byte[] bytes) => [.. stdin.AsSpan(0, at), .. bytes, .. stdin.AsSpan(at)];
}
