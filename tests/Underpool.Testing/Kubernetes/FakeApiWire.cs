using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Underpool.Testing.Kubernetes;

/// <summary>The wire format's pieces: Status bodies for errors, list bodies, watch event lines, field selectors.</summary>
internal static class FakeApiWire
{
    public static JsonObject Status(int code, string reason, string message, FakeResource? resource = null, string? name = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (resource is not null)
        {
            status["details"] = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Resource };
        }

        return status;
    }

    public static Task WriteAsync(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, http.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext http, int code, string reason, string message, FakeResource? resource = null, string? name = null) =>
        WriteAsync(http, code, Status(code, reason, message, resource, name));

    /// <summary>A list: items without kind and apiVersion, as the real server writes them.</summary>
    public static JsonObject List(FakeResource resource, IEnumerable<JsonObject> items, long revision)
    {
        var array = new JsonArray();
        foreach (JsonObject item in items)
        {
            item.Remove("kind");
            item.Remove("apiVersion");
            array.Add(item);
        }

        return new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = array,
        };
    }

    /// <summary>One watch event: a line of JSON {"type":..,"object":..}.</summary>
    public static string Event(string type, JsonNode obj) => new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";

    public static string Bookmark(FakeResource resource, long revision) => Event(
        "BOOKMARK",
        new JsonObject
        {
            ["kind"] = resource.Kind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    /// <summary>A field selector of "path=value" terms joined by commas; only the fields the agent selects on.
    /// Returns null (and the error) for anything else, as the real server refuses an unsupported field.</summary>
    public static Func<JsonObject, bool>? FieldSelector(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return _ => true;
        }

        var terms = new List<(string[] Path, string Value)>();
        foreach (string term in text.Split(','))
        {
            int eq = term.IndexOf('=', StringComparison.Ordinal);
            string field = eq < 0 ? term : term[..eq].TrimEnd('=');
            if (eq < 0 || term.Contains("!=", StringComparison.Ordinal) || field is not ("metadata.name" or "metadata.namespace" or "spec.nodeName"))
            {
                error = $"field label not supported: {field}";
                return null;
            }

            terms.Add((field.Split('.'), term[(eq + 1)..].TrimStart('=')));
        }

        return o => terms.All(t => Read(o, t.Path) == t.Value);
    }

    private static string Read(JsonObject o, string[] path)
    {
        JsonNode? node = o;
        foreach (string part in path)
        {
            node = (node as JsonObject)?[part];
        }

        return node?.GetValue<string>() ?? "";
    }

    /// <summary>RFC 7386 JSON merge patch (also used for strategic merge patches: the fields the agent patches are scalars).</summary>
    public static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach ((string key, JsonNode? value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                MergePatch(existing, inner);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
