using System.Buffers.Text;
using System.Text.Json;
using Underpool.Api.Contracts;

namespace Underpool.Api.Wire;

/// <summary>Reads the agent's answers to a CNI ADD, DEL or CHECK, and its problem bodies, by hand with
/// <see cref="Utf8JsonReader"/>: what <see cref="CniCallJsonContext"/> would read (names in any case, unknown ones skipped,
/// a required or non-nullable member missing or null refused), without the serializer's type metadata (issue 16).</summary>
/// <remarks>Each returns null for the JSON null and throws <see cref="JsonException"/> for anything the context would refuse; a test feeds the same answers to
/// both (CniCallWireTests).</remarks>
internal static class CniAnswerReader
{
    public static CniAddResponse? Add(ReadOnlySpan<byte> utf8)
    {
        if (!Start(utf8, out Utf8JsonReader reader))
        {
            return null;
        }

        IReadOnlyList<AssignedAddress>? ips = null;
        IReadOnlyList<AssignedRoute>? routes = null;
        PoolChoice? chosen = null;
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "ips":
                    ips = List(ref reader, Address, nullable: false) ?? throw Missing("ips");
                    break;
                case "routes":
                    routes = List(ref reader, Route, nullable: false) ?? throw Missing("routes");
                    break;
                case "chosenpools":
                    chosen = reader.TokenType == JsonTokenType.Null ? null : Pools(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        End(ref reader);
        return new CniAddResponse { Ips = ips ?? throw Missing("ips"), ChosenPools = chosen, Routes = routes ?? [] };
    }

    public static CniDelResponse? Del(ReadOnlySpan<byte> utf8)
    {
        if (!Start(utf8, out Utf8JsonReader reader))
        {
            return null;
        }

        IReadOnlyList<AssignedAddress>? released = null;
        while (NextProperty(ref reader, out string name))
        {
            if (name == "released")
            {
                released = List(ref reader, Address, nullable: false) ?? throw Missing("released");
            }
            else
            {
                reader.Skip();
            }
        }

        End(ref reader);
        return new CniDelResponse { Released = released ?? [] };
    }

    public static CniCheckResponse? Check(ReadOnlySpan<byte> utf8)
    {
        if (!Start(utf8, out Utf8JsonReader reader))
        {
            return null;
        }

        IReadOnlyList<AssignedAddress>? ips = null;
        while (NextProperty(ref reader, out string name))
        {
            if (name == "ips")
            {
                ips = List(ref reader, Address, nullable: false) ?? throw Missing("ips");
            }
            else
            {
                reader.Skip();
            }
        }

        End(ref reader);
        return new CniCheckResponse { Ips = ips ?? throw Missing("ips") };
    }

    public static Problem? Problem(ReadOnlySpan<byte> utf8)
    {
        if (!Start(utf8, out Utf8JsonReader reader))
        {
            return null;
        }

        string? type = null, title = null, detail = null;
        int? status = null, cniCode = null;
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "type":
                    type = String(ref reader, "type");
                    break;
                case "title":
                    title = String(ref reader, "title");
                    break;
                case "detail":
                    detail = String(ref reader, "detail");
                    break;
                case "status":
                    status = Int(ref reader, "status") ?? throw Missing("status");
                    break;
                case "cnicode":
                    cniCode = Int(ref reader, "cniCode");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        End(ref reader);
        return new Problem
        {
            Type = type ?? throw Missing("type"),
            Title = title ?? throw Missing("title"),
            Status = status ?? throw Missing("status"),
            Detail = detail ?? throw Missing("detail"),
            CniCode = cniCode,
        };
    }

    private delegate T ReadItem<T>(ref Utf8JsonReader reader);

    private static AssignedAddress Address(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? address = null, gateway = null, pool = null, family = null;
        int? vlan = null;
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "address":
                    address = String(ref reader, "address");
                    break;
                case "gateway":
                    gateway = NullableString(ref reader);
                    break;
                case "pool":
                    pool = String(ref reader, "pool");
                    break;
                case "family":
                    family = String(ref reader, "family");
                    break;
                case "vlan":
                    vlan = Int(ref reader, "vlan");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new AssignedAddress
        {
            Address = address ?? throw Missing("address"),
            Gateway = gateway,
            Pool = pool ?? throw Missing("pool"),
            Family = family ?? throw Missing("family"),
            Vlan = vlan,
        };
    }

    private static AssignedRoute Route(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? dst = null, gw = null;
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "dst":
                    dst = String(ref reader, "dst");
                    break;
                case "gw":
                    gw = NullableString(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new AssignedRoute { Dst = dst ?? throw Missing("dst"), Gw = gw };
    }

    private static PoolChoice Pools(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<string>? v4 = null, v6 = null;
        while (NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "ipv4":
                    v4 = List(ref reader, ItemString, nullable: true);
                    break;
                case "ipv6":
                    v6 = List(ref reader, ItemString, nullable: true);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new PoolChoice { Ipv4 = v4 ?? [], Ipv6 = v6 ?? [] };
    }

    /// <summary>A list whose items may be null (the serializer checks no item's nullability); null for a JSON null
    /// when <paramref name="nullable"/>, which the caller turns into its own error otherwise.</summary>
    private static List<T>? List<T>(ref Utf8JsonReader reader, ReadItem<T> item, bool nullable)
        where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<T>();
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            // As the serializer: a null item is kept, for the checks after (AddAnswer: "ips[0] is null").
            items.Add(reader.TokenType == JsonTokenType.Null ? null! : item(ref reader));
        }

        return items;
    }

    private static string ItemString(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static string String(ref Utf8JsonReader reader, string name) =>
        NullableString(ref reader) ?? throw Missing(name);

    private static string? NullableString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String);
        return reader.GetString();
    }

    /// <summary>A number, or a string holding one (the web defaults the contexts use read both).</summary>
    private static int? Int(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt32(out int number):
                return number;
            case JsonTokenType.String when !reader.ValueIsEscaped
                                          && Utf8Parser.TryParse(reader.ValueSpan, out int parsed, out int used)
                                          && used == reader.ValueSpan.Length:
                return parsed;
            default:
                throw new JsonException($"The JSON value of '{name}' could not be converted to System.Int32.");
        }
    }

    /// <summary>At the answer's object; false when the answer is the JSON null (the serializer's null).</summary>
    private static bool Start(ReadOnlySpan<byte> utf8, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(utf8);
        if (Read(ref reader) == JsonTokenType.Null)
        {
            End(ref reader);
            return false;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        return true;
    }

    /// <summary>Moves to the next property's value; false at the end of the object. Names compare case-insensitively,
    /// as the contexts' web defaults do: <paramref name="name"/> is lower case.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (Read(ref reader) == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString()!.ToLowerInvariant();
        Read(ref reader);
        return true;
    }

    /// <summary>Nothing but whitespace may follow the answer's object.</summary>
    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"'{reader.TokenType}' is invalid after a single JSON value.");
        }
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The JSON ended early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} but the JSON holds {reader.TokenType} (at byte {reader.TokenStartIndex}).");
        }
    }

    private static JsonException Missing(string name) =>
        new($"'{name}' is missing or null, and it is required.");
}
