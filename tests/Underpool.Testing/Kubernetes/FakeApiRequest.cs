namespace Underpool.Testing.Kubernetes;

/// <summary>One request as RBAC sees it: verb (get, list, watch, create, update, patch, delete), API group ("" for
/// core), resource and namespace (null for cluster-scoped objects and all-namespace lists).</summary>
public readonly record struct FakeApiRequest(string Verb, string Group, string Resource, string? Namespace);

/// <summary>A request's target, parsed from its path: /api/v1/... or /apis/GROUP/VERSION/..., then
/// [namespaces/NS/]RESOURCE[/NAME].</summary>
internal sealed record FakeRoute(FakeResource Resource, string? Namespace, string? Name)
{
    public static FakeRoute? Parse(string path)
    {
        string[] parts = path.Trim('/').Split('/');
        (string group, string version, int rest) = parts switch
        {
            ["api", var v, ..] => ("", v, 2),
            ["apis", var g, var v, ..] => (g, v, 3),
            _ => ("", "", -1),
        };
        if (rest < 0)
        {
            return null;
        }

        string[] tail = parts[rest..];
        (string? ns, string resource, string? name) = tail switch
        {
            ["namespaces", var n, var r] => (n, r, null),
            ["namespaces", var n, var r, var o] => (n, r, o),
            [var r] => (null, r, null),
            [var r, var o] => ((string?)null, r, o),
            _ => (null, "", null),
        };
        FakeResource? found = FakeResources.Find(group, version, resource);
        if (found is null || (ns is not null && !found.Namespaced))
        {
            return null;
        }

        return new FakeRoute(found, ns, name);
    }
}
