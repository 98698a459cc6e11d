using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Pools;

/// <summary>Turns the API's text form of a pool into a <see cref="PoolSpec"/> and back, collecting every parse error
/// so the user fixes them all in one go.</summary>
public static class PoolDefinitionMapper
{
    public static PoolSpec? TryParse(PoolDefinition definition, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(errors);
        string name = definition.Name ?? string.Empty;
        if (definition.Parent is not null || definition.App is not null || definition.Keep)
        {
            // Those addresses must be carved out of the parent, which only the application pool operations do.
            errors.Add($"pool '{name}': parent, app and keep belong to application pools; create one with 'underpoolctl app-pool create'");
        }

        if (!IpCidr.TryParse(definition.Subnet ?? string.Empty, out IpCidr subnet, out string? subnetError))
        {
            errors.Add($"pool '{name}': subnet {subnetError}");
        }

        var ranges = new List<IpRange>();
        foreach (string text in definition.Ranges ?? [])
        {
            if (IpRange.TryParse(text, out IpRange range, out string? error))
            {
                ranges.Add(range);
            }
            else
            {
                errors.Add($"pool '{name}': {error}");
            }
        }

        List<IpAddress> exclude = ParseAddresses(definition.Exclude ?? [], $"pool '{name}': excluded address", errors);
        IpAddress? gateway = null;
        if (!string.IsNullOrWhiteSpace(definition.Gateway))
        {
            if (IpAddress.TryParse(definition.Gateway, out IpAddress gw))
            {
                gateway = gw;
            }
            else
            {
                errors.Add($"pool '{name}': gateway '{definition.Gateway}' is not an IPv4 or IPv6 address");
            }
        }

        var routes = new List<PoolRoute>();
        foreach (AssignedRoute route in definition.Routes ?? [])
        {
            if (!IpCidr.TryParse(route.Dst ?? string.Empty, out IpCidr dst, out string? dstError))
            {
                errors.Add($"pool '{name}': route destination {dstError}");
                continue;
            }

            IpAddress? via = null;
            if (!string.IsNullOrWhiteSpace(route.Gw))
            {
                if (!IpAddress.TryParse(route.Gw, out IpAddress routeGw))
                {
                    errors.Add($"pool '{name}': route {route.Dst} gateway '{route.Gw}' is not an address");
                    continue;
                }

                via = routeGw;
            }

            routes.Add(new PoolRoute(dst, via));
        }

        bool? probe = definition.Probe switch
        {
            null => null,
            "on" => true,
            "off" => false,
            _ => Invalid<bool?>(errors, $"pool '{name}': probe '{definition.Probe}' must be 'on' or 'off' (or absent to follow the agent's --probe)"),
        };
        GatewayCheck checkGateway = definition.CheckGateway switch
        {
            null or "off" => GatewayCheck.Off,
            "on" => GatewayCheck.On,
            "warn" => GatewayCheck.Warn,
            _ => Invalid<GatewayCheck>(errors, $"pool '{name}': checkGateway '{definition.CheckGateway}' must be 'off', 'on' or 'warn'"),
        };
        if (checkGateway != GatewayCheck.Off && gateway is null && string.IsNullOrWhiteSpace(definition.Gateway))
        {
            errors.Add($"pool '{name}': checkGateway '{definition.CheckGateway}' needs a gateway to check; add --gateway");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new PoolSpec
        {
            Name = name,
            Subnet = subnet,
            Ranges = ranges,
            Exclude = exclude,
            Gateway = gateway,
            Routes = routes,
            Vlan = definition.Vlan,
            Affinity = new NodeAffinity(
                (definition.Nodes ?? []).Select(n => n.Trim()).ToList(),
                string.IsNullOrWhiteSpace(definition.NodeSelector) ? null : definition.NodeSelector.Trim()),
            IsDefault = definition.Default,
            Disabled = definition.Disabled,
            Probe = probe,
            CheckGateway = checkGateway,
        };
    }

    private static T? Invalid<T>(List<string> errors, string error)
    {
        errors.Add(error);
        return default;
    }

    /// <summary>Parses addresses, adding one error per bad one; returns the good ones.</summary>
    public static List<IpAddress> ParseAddresses(IEnumerable<string> texts, string what, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(errors);
        var result = new List<IpAddress>();
        foreach (string text in texts)
        {
            if (IpAddress.TryParse(text, out IpAddress address))
            {
                result.Add(address);
            }
            else
            {
                errors.Add($"{what} '{text}' is not an IPv4 or IPv6 address");
            }
        }

        return result;
    }

    public static PoolDefinition ToDefinition(PoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolDefinition
        {
            Name = pool.Name,
            Subnet = pool.Subnet.ToString(),
            Ranges = pool.Ranges.Select(r => r.ToString()).ToList(),
            Exclude = pool.Exclude.Select(a => a.ToString()).ToList(),
            Gateway = pool.Gateway?.ToString(),
            Routes = pool.Routes.Select(r => new AssignedRoute { Dst = r.Destination.ToString(), Gw = r.Gateway?.ToString() }).ToList(),
            Vlan = pool.Vlan,
            Nodes = pool.Affinity.NodeNames,
            NodeSelector = pool.Affinity.NodeSelector,
            Default = pool.IsDefault,
            Disabled = pool.Disabled,
            Probe = pool.Probe switch { true => "on", false => "off", null => null },
            CheckGateway = pool.CheckGateway == GatewayCheck.Off ? null : pool.CheckGateway.ToString().ToLowerInvariant(),
            Parent = pool.Parent,
            App = pool.App,
            Keep = pool.Keep,
        };
    }

    public static PoolUsage ToUsage(long allocated, UInt128 capacity) => new()
    {
        Allocated = allocated,
        Capacity = capacity.ToString(CultureInfo.InvariantCulture),
        PercentUsed = capacity == UInt128.Zero ? 0 : Math.Round(100.0 * allocated / (double)capacity, 2),
    };
}
