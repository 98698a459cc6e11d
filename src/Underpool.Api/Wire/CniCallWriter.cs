using System.Text.Json;
using Underpool.Api.Contracts;

namespace Underpool.Api.Wire;

/// <summary>The JSON of the requests a CNI ADD, DEL or CHECK sends, written by hand: what
/// <see cref="CniCallJsonContext"/> would write (names camelCase, in declaration order, nulls left out), without the
/// serializer's type metadata, which cost a fifth of a plugin call's CPU on first use (issue 16).</summary>
/// <remarks>The contract types stay the single description of the wire: a test writes the same requests both ways and
/// reads them back with the agent's context (CniCallWireTests), so a property added to a contract and not here fails it.</remarks>
internal static class CniCallWriter
{
    public static byte[] Add(CniAddRequest request)
    {
        var json = new JsonOut();
        json.StartObject();
        json.Name("attachment"u8);
        Attachment(json, request.Attachment);
        json.Name("pools"u8);
        Pools(json, request.Pools);
        OptionalString(json, "uplink"u8, request.Uplink);
        json.Name("args"u8);
        StringMap(json, request.Args);
        json.Name("requestedIps"u8);
        Strings(json, request.RequestedIps);
        json.Name("static"u8);
        json.Bool(request.Static);
        json.Name("cniArgs"u8);
        json.StartObject();
        foreach ((string key, JsonElement value) in request.CniArgs)
        {
            json.Name(key);
            json.Raw(value.GetRawText());
        }

        json.EndObject();
        json.Name("podAnnotations"u8);
        StringMap(json, request.PodAnnotations);
        json.EndObject();
        return json.ToArray();
    }

    public static byte[] Del(CniDelRequest request)
    {
        var json = new JsonOut();
        json.StartObject();
        json.Name("attachment"u8);
        Attachment(json, request.Attachment);
        json.EndObject();
        return json.ToArray();
    }

    public static byte[] Check(CniCheckRequest request)
    {
        var json = new JsonOut();
        json.StartObject();
        json.Name("attachment"u8);
        Attachment(json, request.Attachment);
        OptionalString(json, "mac"u8, request.Mac);
        json.EndObject();
        return json.ToArray();
    }

    private static void Attachment(JsonOut json, AttachmentIdentity who)
    {
        json.StartObject();
        json.Name("network"u8);
        json.String(who.Network);
        json.Name("containerId"u8);
        json.String(who.ContainerId);
        json.Name("ifName"u8);
        json.String(who.IfName);
        OptionalString(json, "netNs"u8, who.NetNs);
        OptionalString(json, "podNamespace"u8, who.PodNamespace);
        OptionalString(json, "podName"u8, who.PodName);
        OptionalString(json, "podUid"u8, who.PodUid);
        json.EndObject();
    }

    private static void Pools(JsonOut json, PoolChoice pools)
    {
        json.StartObject();
        json.Name("ipv4"u8);
        Strings(json, pools.Ipv4);
        json.Name("ipv6"u8);
        Strings(json, pools.Ipv6);
        json.EndObject();
    }

    private static void OptionalString(JsonOut json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.Name(name);
            json.String(value);
        }
    }

    private static void StringOrNull(JsonOut json, string? value)
    {
        if (value is null)
        {
            json.Raw("null");
        }
        else
        {
            json.String(value);
        }
    }

    private static void Strings(JsonOut json, IReadOnlyList<string> values)
    {
        json.StartArray();
        foreach (string? value in values)
        {
            StringOrNull(json, value);
        }

        json.EndArray();
    }

    private static void StringMap(JsonOut json, IReadOnlyDictionary<string, string> map)
    {
        json.StartObject();
        foreach ((string key, string? value) in map)
        {
            json.Name(key);
            StringOrNull(json, value);
        }

        json.EndObject();
    }
}
