using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Underpool.Agent.Http;
using Underpool.Api.Contracts;

namespace Underpool.Agent.Tests;

/// <summary>A JSON null inside a list or map of a request is found before the request reaches a service, where it was a
/// NullReferenceException and a 500 (<c>requestedIps: [null]</c>): every list and map of every request, found by
/// reflection, so one added later cannot be forgotten.</summary>
public sealed class RequestNullsTests
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    /// <summary>Each request the agent reads, with the smallest body it accepts.</summary>
    private static readonly (JsonTypeInfo Type, string Body)[] Requests =
    [
        (Json.CniAddRequest, """{"attachment":{"network":"n","containerId":"c","ifName":"eth0"}}"""),
        (Json.CniDelRequest, """{"attachment":{"network":"n","containerId":"c","ifName":"eth0"}}"""),
        (Json.CniCheckRequest, """{"attachment":{"network":"n","containerId":"c","ifName":"eth0"}}"""),
        (Json.CniGcRequest, """{"network":"n"}"""),
        (Json.PoolDefinition, """{"name":"p","subnet":"10.0.0.0/24"}"""),
        (Json.ReservedChange, """{"addresses":[]}"""),
        (Json.ConflictClear, """{"address":"10.0.0.1"}"""),
        (Json.EndpointReleaseRequest, "{}"),
        (Json.AppPoolCreate, """{"name":"a","parent":"p","app":"ns/web","size":1}"""),
        (Json.AppPoolScale, """{"size":1}"""),
        (Json.AppReclaim, """{"app":"ns/web"}"""),
        (Json.GcRunRequest, "{}"),
    ];

    public static TheoryData<string, string> NullElements()
    {
        var data = new TheoryData<string, string>();
        foreach ((JsonTypeInfo type, string body) in Requests)
        {
            foreach ((string path, JsonNode withNull) in Collections(type.Type, ""))
            {
                JsonNode root = JsonNode.Parse(body)!;
                Put(root, path, withNull);
                data.Add(type.Type.Name, root.ToJsonString());
            }
        }

        return data;
    }

    [Fact]
    public void The_requests_have_lists_and_maps_to_check()
    {
        Assert.True(NullElements().Count >= 10);
    }

    [Theory]
    [MemberData(nameof(NullElements))]
    public void A_null_inside_any_list_or_map_of_a_request_is_found(string type, string body)
    {
        JsonTypeInfo info = Requests.Single(r => r.Type.Type.Name == type).Type;

        object? request;
        try
        {
            request = JsonSerializer.Deserialize(body, info);
        }
        catch (JsonException)
        {
            return; // Refused by the serializer: a 400 as well.
        }

        Assert.NotNull(RequestNulls.Find(request!));
    }

    /// <summary>Every list or map property under <paramref name="type"/> (into nested contract objects), as a JSON path
    /// and a value holding a null element.</summary>
    private static IEnumerable<(string Path, JsonNode WithNull)> Collections(Type type, string prefix)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string path = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            Type t = property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            {
                yield return (path, new JsonObject { ["k"] = null });
            }
            else if (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t))
            {
                yield return (path, new JsonArray((JsonNode?)null));
            }
            else if (t.IsClass && t != typeof(string) && t.Namespace == typeof(CniAddRequest).Namespace)
            {
                foreach ((string Path, JsonNode WithNull) inner in Collections(t, path + "."))
                {
                    yield return inner;
                }
            }
        }
    }

    private static void Put(JsonNode root, string path, JsonNode value)
    {
        string[] parts = path.Split('.');
        JsonObject at = root.AsObject();
        foreach (string part in parts[..^1])
        {
            at = (at[part] ??= new JsonObject()).AsObject();
        }

        at[parts[^1]] = value;
    }
}
