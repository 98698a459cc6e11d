using System.Text.Json;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Store.Documents;

/// <summary>Converts a <see cref="PoolSpec"/> to and from the JSON every store backend keeps (see <see cref="PoolSpecDocument"/>).</summary>
public static class PoolSpecJson
{
    public static string Write(PoolSpec pool)
    {
        var document = new PoolSpecDocument
        {
            Name = pool.Name,
            Subnet = pool.Subnet.ToString(),
            Ranges = pool.Ranges.Select(r => r.ToString()).ToList(),
            Exclude = pool.Exclude.Select(StoredText.Text).ToList(),
            Gateway = pool.Gateway is { } gateway ? StoredText.Text(gateway) : null,
            Routes = pool.Routes.Select(r => new PoolSpecDocument.RouteDocument
            {
                Destination = r.Destination.ToString(),
                Gateway = r.Gateway is { } via ? StoredText.Text(via) : null,
            }).ToList(),
            Vlan = pool.Vlan,
            Affinity = pool.Affinity.NodeNames.Count == 0 && pool.Affinity.NodeSelector is null
                ? null
                : new PoolSpecDocument.AffinityDocument { NodeNames = pool.Affinity.NodeNames, NodeSelector = pool.Affinity.NodeSelector },
            IsDefault = pool.IsDefault,
            Disabled = pool.Disabled,
            Probe = pool.Probe,
            Parent = pool.Parent,
            App = pool.App,
            Keep = pool.Keep,
            CheckGateway = pool.CheckGateway == GatewayCheck.Off ? null : pool.CheckGateway.ToString().ToLowerInvariant(),
        };
        return JsonSerializer.Serialize(document, PoolSpecJsonContext.Default.PoolSpecDocument);
    }

    public static PoolSpec Read(string json)
    {
        PoolSpecDocument document;
        try
        {
            document = JsonSerializer.Deserialize(json, PoolSpecJsonContext.Default.PoolSpecDocument)
                ?? throw new InvalidDataException("the store holds a pool spec that is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the store holds a pool spec that is not valid JSON: {e.Message}", e);
        }

        return new PoolSpec
        {
            Name = document.Name,
            Subnet = Parse<IpCidr>(document.Subnet, IpCidr.TryParse, document.Name),
            Ranges = document.Ranges.Select(r => Parse<IpRange>(r, IpRange.TryParse, document.Name)).ToList(),
            Exclude = document.Exclude.Select(StoredText.Address).ToList(),
            Gateway = document.Gateway is { } gateway ? StoredText.Address(gateway) : null,
            Routes = document.Routes.Select(r => new PoolRoute(
                Parse<IpCidr>(r.Destination, IpCidr.TryParse, document.Name),
                r.Gateway is { } via ? StoredText.Address(via) : null)).ToList(),
            Vlan = document.Vlan,
            Affinity = document.Affinity is { } affinity
                ? new NodeAffinity(affinity.NodeNames, affinity.NodeSelector)
                : NodeAffinity.Any,
            IsDefault = document.IsDefault,
            Disabled = document.Disabled,
            Probe = document.Probe,
            Parent = document.Parent,
            App = document.App,
            Keep = document.Keep,
            CheckGateway = document.CheckGateway switch
            {
                null => GatewayCheck.Off,
                "on" => GatewayCheck.On,
                "warn" => GatewayCheck.Warn,
                _ => throw new InvalidDataException($"the store holds pool '{document.Name}' with checkGateway '{document.CheckGateway}'"),
            },
        };
    }

    private delegate bool TryParser<T>(ReadOnlySpan<char> text, out T value, out string? error);

    private static T Parse<T>(string text, TryParser<T> tryParse, string pool) =>
        tryParse(text, out T value, out string? error)
            ? value
            : throw new InvalidDataException($"the store holds an invalid value in pool '{pool}': {error}");
}
