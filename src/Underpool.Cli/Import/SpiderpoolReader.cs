using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>Spiderpool's SpiderIPPool objects (spiderpool.spidernet.io) as an import.</summary>
/// <remarks>
/// <para>The pool: <c>spec.subnet</c>, <c>spec.ips</c> (ranges "a-b" and single addresses), <c>spec.excludeIPs</c>
/// (the same forms), <c>spec.gateway</c>, <c>spec.routes</c> ({dst, gw}), <c>spec.vlan</c>, <c>spec.default</c>,
/// <c>spec.disable</c>, <c>spec.nodeName</c> and <c>spec.nodeAffinity</c> (a label selector; Spiderpool lets nodeName
/// win over it, and so does the pool created here). Pod and namespace affinities and multusName have no pool-level
/// counterpart in Underpool and are not carried over (the import warns).</para>
/// <para>The allocations, <c>status.allocatedIPs</c>, in the two shapes Spiderpool has written: in v2beta1 a JSON
/// document in a string, address → {"pod": "namespace/name", "podUid", and in some releases "interface"}; in the
/// older v1 API a map, address → {containerID, interface, node, namespace, pod, ...}. An allocation with a container
/// id is filed under it; one without (v2beta1) under its pod uid, which the pod's DEL (K8S_POD_UID) releases. One that
/// names no interface takes --ifname.</para>
/// </remarks>
internal static class SpiderpoolReader
{
    public static ImportInput Read(IReadOnlyList<KubeObject> objects, CustomResourceOptions options, InputErrors errors)
    {
        var claims = new List<Claim>();
        var pools = new List<PoolDefinition>();
        var warnings = new List<string>();
        foreach (KubeObject pool in objects.Where(options.Selects))
        {
            if (pool.Kind is not ("SpiderIPPool" or "IPPool") || !pool.ApiVersion.StartsWith("spiderpool.spidernet.io/", StringComparison.Ordinal))
            {
                errors.Add(pool.Error(null, "is not a Spiderpool SpiderIPPool (spiderpool.spidernet.io); 'kubectl get spiderippools -o yaml' lists them"));
                continue;
            }

            if (!IpCidr.TryParse(pool.Text("spec.subnet") ?? string.Empty, out IpCidr subnet, out string? subnetError))
            {
                errors.Add(pool.Error(pool.Find("spec.subnet"), $"spec.subnet: {subnetError}"));
                continue;
            }

            string? poolName = null;
            if (options.CreatePools && SpiderpoolPoolDefinition.From(pool, subnet, errors, warnings) is { } definition)
            {
                pools.Add(definition);
                poolName = definition.Name;
            }

            foreach ((string ip, IReadOnlyDictionary<string, string> fields, YamlNode at) in Allocations(pool, errors))
            {
                if (ClaimOf(pool, ip, fields, at, poolName, options, errors) is { } claim)
                {
                    claims.Add(claim);
                }
            }
        }

        return new ImportInput(Claim.Gather(claims), pools, warnings);
    }

    private static Claim? ClaimOf(
        KubeObject pool, string ip, IReadOnlyDictionary<string, string> fields, YamlNode at, string? poolName, CustomResourceOptions options, InputErrors errors)
    {
        string Field(string name) => fields.TryGetValue(name, out string? value) ? value : string.Empty;
        string where = $"status.allocatedIPs[\"{ip}\"]";
        if (!IpAddress.TryParse(ip, out IpAddress address))
        {
            errors.Add(pool.Error(at, $"{where}: '{ip}' is not an address"));
            return null;
        }

        string container = Field("containerID") is { Length: > 0 } id ? id : Field("containerid");
        string podUid = Field("podUid");
        if (container.Length == 0 && podUid.Length == 0)
        {
            errors.Add(pool.Error(at, $"{where}: names neither a containerID nor a podUid, so no DEL could ever release it"));
            return null;
        }

        if (options.InterfaceOf(Field("interface"), pool, at, errors) is not { } ifName)
        {
            return null;
        }

        // v1 names the namespace apart from the pod; v2beta1 writes "namespace/name" under "pod".
        string podName = Field("pod");
        string podNamespace = Field("namespace");
        int slash = podName.IndexOf('/', StringComparison.Ordinal);
        if (podNamespace.Length == 0 && slash > 0)
        {
            (podNamespace, podName) = (podName[..slash], podName[(slash + 1)..]);
        }

        return new Claim(
            container.Length > 0 ? container : null,
            podUid.Length > 0 ? podUid : null,
            ifName,
            address.ToString(),
            poolName,
            Field("node") is { Length: > 0 } node ? node : null,
            podNamespace.Length > 0 ? podNamespace : null,
            podName.Length > 0 ? podName : null,
            $"SpiderIPPool {pool.Id} {address}");
    }

    /// <summary>status.allocatedIPs as (address, its fields, the node to name in messages), from either shape.</summary>
    private static List<(string Ip, IReadOnlyDictionary<string, string> Fields, YamlNode At)> Allocations(KubeObject pool, InputErrors errors)
    {
        var allocations = new List<(string, IReadOnlyDictionary<string, string>, YamlNode)>();
        switch (pool.Find("status.allocatedIPs"))
        {
            case null:
                break;
            case YamlScalarNode text:
                AddFromJson(pool, text, allocations, errors);
                break;
            case YamlMappingNode map:
                foreach ((YamlNode key, YamlNode value) in map.Children)
                {
                    allocations.Add(((key as YamlScalarNode)?.Value ?? string.Empty, Scalars(value), key));
                }

                break;
            case YamlNode other:
                errors.Add(pool.Error(other, "status.allocatedIPs is neither a JSON string nor a map"));
                break;
        }

        return allocations;
    }

    private static void AddFromJson(
        KubeObject pool, YamlScalarNode text, List<(string, IReadOnlyDictionary<string, string>, YamlNode)> allocations, InputErrors errors)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(text.Value ?? string.Empty);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(pool.Error(text, "status.allocatedIPs is not a JSON object of address → allocation"));
                return;
            }

            foreach (JsonProperty allocation in json.RootElement.EnumerateObject())
            {
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                if (allocation.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty field in allocation.Value.EnumerateObject())
                    {
                        fields[field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText();
                    }
                }

                allocations.Add((allocation.Name, fields, text));
            }
        }
        catch (JsonException e)
        {
            errors.Add(pool.Error(text, $"status.allocatedIPs is not valid JSON: {e.Message}"));
        }
    }

    private static Dictionary<string, string> Scalars(YamlNode entry) =>
        entry is YamlMappingNode map
            ? map.Children.Where(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode)
                .ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? string.Empty, c => ((YamlScalarNode)c.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
