using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Agent.Pools;

/// <summary>Turns the API's text form of a pool into a <see cref="PoolSpec"/> and back, collecting every parse error
/// so the user fixes them all in one go.</summary>
internal static class PoolDefinitionMapper
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

        string? subnetText = PoolFieldParser.Printable(definition.Subnet ?? string.Empty, $"pool '{name}': subnet", errors);
        IpCidr subnet = default;
        if (subnetText is not null && !IpCidr.TryParse(subnetText, out subnet, out string? subnetError))
        {
            errors.Add($"pool '{name}': subnet {subnetError}");
        }

        List<IpRange> ranges = PoolFieldParser.Ranges(definition.Ranges ?? [], name, errors);
        List<IpAddress> exclude = PoolFieldParser.Addresses(definition.Exclude ?? [], $"pool '{name}': excluded address", errors);
        IpAddress? gateway = PoolFieldParser.Gateway(definition.Gateway, name, errors);
        List<PoolRoute> routes = PoolFieldParser.Routes(definition.Routes ?? [], name, errors);
        NodeAffinity affinity = PoolFieldParser.Affinity(definition.Nodes ?? [], definition.NodeSelector, name, errors);
        bool? probe = definition.Probe switch
        {
            null => null,
            "on" => true,
            "off" => false,
            _ => Invalid<bool?>(errors, $"pool '{name}': probe '{PrintableText.Escape(definition.Probe)}' must be 'on' or 'off' (or absent to follow the agent's --probe)"),
        };
        GatewayCheck checkGateway = definition.CheckGateway switch
        {
            null or "off" => GatewayCheck.Off,
            "on" => GatewayCheck.On,
            "warn" => GatewayCheck.Warn,
            _ => Invalid<GatewayCheck>(errors, $"pool '{name}': checkGateway '{PrintableText.Escape(definition.CheckGateway)}' must be 'off', 'on' or 'warn'"),
        };
        if (checkGateway != GatewayCheck.Off && string.IsNullOrWhiteSpace(definition.Gateway))
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
            Affinity = affinity,
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
        return PoolFieldParser.Addresses(texts, what, errors);
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

    public static PoolUsage ToUsage(long allocated, UInt128 capacity, long asOfRevision) => new()
    {
        AsOfRevision = asOfRevision,
        Allocated = allocated,
        Capacity = capacity.ToString(CultureInfo.InvariantCulture),
        PercentUsed = capacity == UInt128.Zero ? 0 : Math.Round(100.0 * allocated / (double)capacity, 2),
    };
}
