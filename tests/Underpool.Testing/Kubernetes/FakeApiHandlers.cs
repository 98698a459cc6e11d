using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Underpool.Testing.Kubernetes;

/// <summary>The verbs, each as the real server answers it.</summary>
internal sealed class FakeApiHandlers
{
    private readonly FakeObjectStore _store;
    private readonly FakeWatchStream _watches;

    public FakeApiHandlers(FakeObjectStore store, FakeWatchStream watches)
    {
        _store = store;
        _watches = watches;
    }

    public async Task HandleAsync(HttpContext http, string verb, FakeRoute route, CancellationToken dropped)
    {
        switch (verb)
        {
            case "list" or "watch":
                Func<JsonObject, bool>? selects = FakeApiWire.FieldSelector(http.Request.Query["fieldSelector"], out string? error);
                if (selects is null || !string.IsNullOrEmpty(http.Request.Query["labelSelector"]))
                {
                    await FakeApiWire.WriteStatusAsync(http, 400, "BadRequest", error ?? "label selectors are not served by this fake");
                    return;
                }

                if (verb == "watch")
                {
                    await _watches.RunAsync(http, route, selects, dropped);
                    return;
                }

                (List<JsonObject> items, long revision) = _store.List(route.Resource, route.Namespace);
                await FakeApiWire.WriteAsync(http, 200, FakeApiWire.List(route.Resource, items.Where(selects), revision));
                return;
            case "get":
                await GetAsync(http, route);
                return;
            case "create" or "update":
                await WriteAsync(http, route, verb == "create" ? WriteMode.Create : WriteMode.Update);
                return;
            case "patch":
                await PatchAsync(http, route);
                return;
            case "delete":
                JsonObject? deleted = _store.Delete(route.Resource, route.Namespace, route.Name!);
                await (deleted is null ? NotFoundAsync(http, route) : FakeApiWire.WriteAsync(http, 200, deleted));
                return;
            default:
                await FakeApiWire.WriteStatusAsync(http, 405, "MethodNotAllowed", $"{http.Request.Method} is not served by this fake");
                return;
        }
    }

    private async Task GetAsync(HttpContext http, FakeRoute route)
    {
        JsonObject? found = _store.Get(route.Resource, route.Namespace, route.Name!);
        await (found is null ? NotFoundAsync(http, route) : FakeApiWire.WriteAsync(http, 200, found));
    }

    private async Task WriteAsync(HttpContext http, FakeRoute route, WriteMode mode)
    {
        if (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) is not JsonObject body || body["metadata"] is not JsonObject meta)
        {
            await FakeApiWire.WriteStatusAsync(http, 400, "BadRequest", "the body must be an object with metadata");
            return;
        }

        string? name = meta["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || (route.Name is not null && route.Name != name))
        {
            await FakeApiWire.WriteStatusAsync(http, 400, "BadRequest", "metadata.name must be given and match the URL");
            return;
        }

        if (route.Namespace is not null)
        {
            meta["namespace"] = route.Namespace;
        }

        string? expected = meta["resourceVersion"]?.GetValue<string>();
        (JsonObject? stored, string? refusal) = _store.Write(route.Resource, body, mode, expected);
        string what = $"{route.Resource.Resource}{(route.Resource.Group.Length > 0 ? "." + route.Resource.Group : "")} \"{name}\"";
        await (refusal switch
        {
            null => FakeApiWire.WriteAsync(http, mode == WriteMode.Create ? 201 : 200, stored!),
            "AlreadyExists" => FakeApiWire.WriteStatusAsync(http, 409, "AlreadyExists", $"{what} already exists", route.Resource, name),
            "Conflict" => FakeApiWire.WriteStatusAsync(
                http, 409, "Conflict", $"Operation cannot be fulfilled on {what}: the object has been modified; please apply your changes to the latest version and try again", route.Resource, name),
            _ => NotFoundAsync(http, route with { Name = name }),
        });
    }

    private async Task PatchAsync(HttpContext http, FakeRoute route)
    {
        JsonObject? current = _store.Get(route.Resource, route.Namespace, route.Name!);
        if (current is null)
        {
            await NotFoundAsync(http, route);
            return;
        }

        if (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) is not JsonObject patch)
        {
            await FakeApiWire.WriteStatusAsync(http, 400, "BadRequest", "the patch must be a JSON object");
            return;
        }

        FakeApiWire.MergePatch(current, patch);
        (JsonObject? stored, _) = _store.Write(route.Resource, current, WriteMode.Update);
        await FakeApiWire.WriteAsync(http, 200, stored!);
    }

    private static Task NotFoundAsync(HttpContext http, FakeRoute route) => FakeApiWire.WriteStatusAsync(
        http, 404, "NotFound", $"{route.Resource.Resource} \"{route.Name}\" not found", route.Resource, route.Name);
}
