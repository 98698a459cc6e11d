using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using YamlDotNet.RepresentationModel;

namespace Underpool.Cli.Import;

/// <summary>Whereabouts' IPPool objects (whereabouts.cni.cncf.io/v1alpha1) as an import.</summary>
/// <remarks>
/// An IPPool holds <c>spec.range</c>, a CIDR, and <c>spec.allocations</c>: a map from an address's offset (decimal
/// text) to <c>id</c> (the container id), <c>podref</c> ("namespace/name") and, since it was added, <c>ifname</c>.
/// Whereabouts reads the range with Go's net.ParseCIDR and adds the offset to the address as written, so that address
/// is the base here too: releases since it normalises the IPAM config write the network address (the config's
/// "a-b/prefix" form and range_start/range_end never reach the IPPool), older ones wrote the range as configured
/// ("192.168.2.225/28"). A range in the "a-b/prefix" form cannot be read by Whereabouts itself, so it is refused here
/// rather than guessed at. Range start/end, exclusions and the gateway live in the NetworkAttachmentDefinition, not
/// in the IPPool: a pool created from one hands out its whole subnet (the import warns).
/// </remarks>
internal static class WhereaboutsReader
{
    public static ImportInput Read(IReadOnlyList<KubeObject> objects, CustomResourceOptions options, InputErrors errors)
    {
        var claims = new List<Claim>();
        var pools = new List<PoolDefinition>();
        foreach (KubeObject pool in objects.Where(options.Selects))
        {
            if (pool.Kind != "IPPool" || !pool.ApiVersion.StartsWith("whereabouts.cni.cncf.io/", StringComparison.Ordinal))
            {
                errors.Add(pool.Error(null, $"is not a Whereabouts IPPool (whereabouts.cni.cncf.io); 'kubectl get ippools.whereabouts.cni.cncf.io -A -o yaml' lists them"));
                continue;
            }

            if (Range(pool, errors) is not { } range)
            {
                continue;
            }

            string? poolName = options.CreatePools ? DerivedPoolName.From(pool.Name) : null;
            if (poolName is not null)
            {
                pools.Add(new PoolDefinition { Name = poolName, Subnet = range.Subnet.ToString() });
            }

            ReadAllocations(pool, range, poolName, options, claims, errors);
        }

        var warnings = new List<string>();
        if (pools.Count > 0)
        {
            warnings.Add("a Whereabouts IPPool records no range_start/range_end, exclude or gateway (they are in the NetworkAttachmentDefinition): "
                         + $"pool(s) {string.Join(", ", pools.Select(p => p.Name))} hand out their whole subnet; narrow them with "
                         + "'underpoolctl pool update NAME --add-exclude ...' (or create the pools yourself) before pods use them");
        }

        return new ImportInput(Claim.Gather(claims), pools, warnings);
    }

    private static (IpCidr Subnet, IpAddress Base)? Range(KubeObject pool, InputErrors errors)
    {
        YamlNode? node = pool.Find("spec.range");
        string? text = pool.Text("spec.range");
        if (text is null)
        {
            errors.Add(pool.Error(node ?? pool.Find("spec"), "spec.range is missing"));
            return null;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (text.Contains('-', StringComparison.Ordinal))
        {
            errors.Add(pool.Error(node, $"spec.range '{text}' is the IPAM config's 'a-b/prefix' form, which Whereabouts normalises to a CIDR before it names a pool and cannot read in one"));
            return null;
        }

        if (slash < 0 || !IpAddress.TryParse(text[..slash], out IpAddress written)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)
            || prefix > written.Family.BitLength())
        {
            errors.Add(pool.Error(node, $"spec.range '{text}' is not a CIDR"));
            return null;
        }

        int hostBits = written.Family.BitLength() - prefix;
        UInt128 hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        IpCidr.TryCreate(IpAddress.FromValue(written.Value & ~hostMask, written.Family), prefix, out IpCidr subnet, out _);
        return (subnet, written);
    }

    private static void ReadAllocations(
        KubeObject pool, (IpCidr Subnet, IpAddress Base) range, string? poolName, CustomResourceOptions options, List<Claim> claims, InputErrors errors)
    {
        YamlNode? allocations = pool.Find("spec.allocations");
        if (allocations is null)
        {
            return;
        }

        if (allocations is not YamlMappingNode map)
        {
            errors.Add(pool.Error(allocations, "spec.allocations is not a map of offsets"));
            return;
        }

        foreach ((YamlNode keyNode, YamlNode entry) in map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            string at = $"spec.allocations[\"{key}\"]";
            if (!UInt128.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out UInt128 offset)
                || offset > IpAddress.MaxValue(range.Base.Family) - range.Base.Value
                || !range.Subnet.Contains(range.Base.Add(offset)))
            {
                errors.Add(pool.Error(keyNode, $"{at}: '{key}' is not an offset of an address in {range.Subnet}"));
                continue;
            }

            string? id = KubeObject.Text(entry, "id");
            if (string.IsNullOrEmpty(id))
            {
                errors.Add(pool.Error(entry, $"{at}: id (the container id) is missing"));
                continue;
            }

            string? podRef = KubeObject.Text(entry, "podref");
            if (options.InterfaceOf(KubeObject.Text(entry, "ifname"), pool, entry, errors) is not { } ifName)
            {
                continue;
            }

            int slash = podRef?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            claims.Add(new Claim(
                id,
                PodUid: null,
                ifName,
                range.Base.Add(offset).ToString(),
                poolName,
                Node: null,
                PodNamespace: slash > 0 ? podRef![..slash] : null,
                PodName: slash > 0 ? podRef![(slash + 1)..] : podRef,
                Origin: $"IPPool {pool.Id} allocation {key}"));
        }
    }
}
