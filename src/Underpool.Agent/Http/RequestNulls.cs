using Underpool.Api.Contracts;

namespace Underpool.Agent.Http;

/// <summary>Finds a JSON null where a request needs a value inside a list or map (<c>"ranges":[null]</c>); the
/// serializer's nullability checks stop at properties, and a null further in would otherwise reach the services
/// as a NullReferenceException (HTTP 500) instead of a 400 naming the field.</summary>
internal static class RequestNulls
{
    /// <summary>The JSON path of the first null element, or null when there is none.</summary>
    public static string? Find(object request) => request switch
    {
        CniAddRequest add => InList(add.Pools.Ipv4, "pools.ipv4")
                             ?? InList(add.Pools.Ipv6, "pools.ipv6")
                             ?? InList(add.RequestedIps, "requestedIps")
                             ?? InMap(add.Args, "args")
                             ?? InMap(add.PodAnnotations, "podAnnotations")
                             ?? InJsonMap(add.CniArgs, "cniArgs"),
        CniGcRequest gc => InList(gc.ValidAttachments, "validAttachments"),
        PoolDefinition pool => InList(pool.Ranges, "ranges")
                               ?? InList(pool.Exclude, "exclude")
                               ?? InList(pool.Routes, "routes")
                               ?? InList(pool.Nodes, "nodes"),
        PoolUpdate update => InList(update.AddRanges, "addRanges")
                             ?? InList(update.AddExclude, "addExclude")
                             ?? InList(update.RemoveExclude, "removeExclude")
                             ?? InList(update.Nodes ?? [], "nodes")
                             ?? InList(update.Routes ?? [], "routes"),
        ReservedChange change => InList(change.Addresses, "addresses"),
        ImportRequest import => InImport(import),
        _ => null,
    };

    private static string? InImport(ImportRequest import)
    {
        if ((InList(import.CreatePools, "createPools") ?? InList(import.Attachments, "attachments")) is { } path)
        {
            return path;
        }

        for (int i = 0; i < import.CreatePools.Count; i++)
        {
            if (Find(import.CreatePools[i]) is { } inPool)
            {
                return $"createPools[{i}].{inPool}";
            }
        }

        for (int i = 0; i < import.Attachments.Count; i++)
        {
            if (InList(import.Attachments[i].Addresses, $"attachments[{i}].addresses") is { } inAttachment)
            {
                return inAttachment;
            }
        }

        return null;
    }

    private static string? InList<T>(IReadOnlyList<T> items, string name)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                return $"{name}[{i}]";
            }
        }

        return null;
    }

    /// <summary>A map of raw JSON values (the forwarded args.cni): a JSON null there is no annotation's text either.</summary>
    private static string? InJsonMap(IReadOnlyDictionary<string, System.Text.Json.JsonElement> map, string name)
    {
        foreach ((string key, System.Text.Json.JsonElement value) in map)
        {
            if (value.ValueKind is System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined)
            {
                return $"{name}.{key}";
            }
        }

        return null;
    }

    private static string? InMap(IReadOnlyDictionary<string, string> map, string name)
    {
        foreach ((string key, string value) in map)
        {
            if (value is null)
            {
                return $"{name}.{key}";
            }
        }

        return null;
    }
}
