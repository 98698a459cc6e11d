using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>The abbreviated result an IPAM plugin prints: addresses, routes and DNS, with no interfaces.</summary>
public sealed record IpamResult
{
    public required IReadOnlyList<IpConfig> Ips { get; init; }

    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public DnsConfig? Dns { get; init; }

    /// <summary>The result JSON in the shape of <paramref name="cniVersion"/>, which must be supported (the netconf's
    /// version, already checked by <see cref="NetworkConfig.Parse"/>).</summary>
    public string Serialize(string cniVersion)
    {
        using var text = new MemoryStream();
        ResultWriter.Write(text, ToWire(cniVersion));
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    /// <remarks>Written by hand (<see cref="ResultWriter"/>): it is printed on every ADD.</remarks>
    public void WriteTo(Stream stream, string cniVersion) => ResultWriter.Write(stream, ToWire(cniVersion));

    /// <summary>Reads a <c>prevResult</c> of any supported version (full results too: interfaces and
    /// <c>ips[].interface</c> are ignored).</summary>
    public static CniParseResult<IpamResult> Parse(JsonElement prevResult)
    {
        const string Root = "prevResult";
        if (prevResult.ValueKind != JsonValueKind.Object)
        {
            return Fail(JsonFields.WrongType(Root, "an object", prevResult));
        }

        if (ReadIps(prevResult, out List<IpConfig> ips) is { } ipsError)
        {
            return Fail(ipsError);
        }

        if (ReadRoutes(prevResult, out List<RouteConfig> routes) is { } routesError)
        {
            return Fail(routesError);
        }

        if (ReadDns(prevResult, out DnsConfig? dns) is { } dnsError)
        {
            return Fail(dnsError);
        }

        return CniParseResult<IpamResult>.Success(new IpamResult { Ips = ips, Routes = routes, Dns = dns });
    }

    private ResultWire ToWire(string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(cniVersion);
        if (!CniVersion.IsSupported(cniVersion))
        {
            throw new ArgumentException(
                $"cniVersion \"{cniVersion}\" is not supported; expected one of {CniVersion.SupportedList}", nameof(cniVersion));
        }

        bool withFamily = CniVersion.UsesIpVersionField(cniVersion);
        var ips = new IpWire[Ips.Count];
        for (int i = 0; i < ips.Length; i++)
        {
            IpConfig ip = Ips[i];
            ips[i] = new IpWire { Version = withFamily ? ip.Family : null, Address = ip.Address, Gateway = ip.Gateway };
        }

        return new ResultWire
        {
            CniVersion = cniVersion,
            Ips = ips,
            Routes = Routes.Count > 0 ? Routes : null,
            Dns = Dns,
        };
    }

    private static CniError? ReadIps(JsonElement result, out List<IpConfig> ips)
    {
        ips = [];
        if (ReadObjectList(result, "ips", out JsonElement? list) is { } listError)
        {
            return listError;
        }

        if (list is not JsonElement array)
        {
            return null;
        }

        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string path = $"prevResult.ips[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return JsonFields.WrongType(path, "an object like {\"address\": \"10.0.0.5/24\"}", item);
            }

            if (ReadRequiredString(item, "address", path, "\"10.0.0.5/24\"", out string address) is { } addressError)
            {
                return addressError;
            }

            if (JsonFields.OptionalString(item, "gateway", $"{path}.gateway", out string? gateway) is { } gatewayError)
            {
                return gatewayError;
            }

            ips.Add(new IpConfig(address, gateway));
        }

        return null;
    }

    private static CniError? ReadRoutes(JsonElement result, out List<RouteConfig> routes)
    {
        routes = [];
        if (ReadObjectList(result, "routes", out JsonElement? list) is { } listError)
        {
            return listError;
        }

        if (list is not JsonElement array)
        {
            return null;
        }

        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string path = $"prevResult.routes[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return JsonFields.WrongType(path, "an object like {\"dst\": \"0.0.0.0/0\"}", item);
            }

            if (ReadRequiredString(item, "dst", path, "\"0.0.0.0/0\"", out string dst) is { } dstError)
            {
                return dstError;
            }

            if (JsonFields.OptionalString(item, "gw", $"{path}.gw", out string? gw) is { } gwError)
            {
                return gwError;
            }

            routes.Add(new RouteConfig(dst, gw));
        }

        return null;
    }

    private static CniError? ReadDns(JsonElement result, out DnsConfig? dns)
    {
        dns = null;
        if (JsonFields.OptionalObject(result, "dns", "prevResult.dns", out JsonElement? found) is { } error)
        {
            return error;
        }

        if (found is not JsonElement section)
        {
            return null;
        }

        if (JsonFields.OptionalStringList(section, "nameservers", "prevResult.dns.nameservers", "[\"10.0.0.53\"]", out IReadOnlyList<string> nameservers) is { } nsError)
        {
            return nsError;
        }

        if (JsonFields.OptionalString(section, "domain", "prevResult.dns.domain", out string? domain) is { } domainError)
        {
            return domainError;
        }

        if (JsonFields.OptionalStringList(section, "search", "prevResult.dns.search", "[\"svc.local\"]", out IReadOnlyList<string> search) is { } searchError)
        {
            return searchError;
        }

        if (JsonFields.OptionalStringList(section, "options", "prevResult.dns.options", "[\"ndots:5\"]", out IReadOnlyList<string> options) is { } optionsError)
        {
            return optionsError;
        }

        // Go runtimes print "dns":{} for no DNS at all; read that as no DNS.
        if (nameservers.Count == 0 && domain is null && search.Count == 0 && options.Count == 0)
        {
            return null;
        }

        dns = new DnsConfig(
            nameservers.Count > 0 ? nameservers : null,
            domain,
            search.Count > 0 ? search : null,
            options.Count > 0 ? options : null);
        return null;
    }

    private static CniError? ReadObjectList(JsonElement result, string name, out JsonElement? list)
    {
        list = null;
        if (!JsonFields.TryGet(result, name, out JsonElement element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return JsonFields.WrongType($"prevResult.{name}", "a list", element);
        }

        list = element;
        return null;
    }

    private static CniError? ReadRequiredString(JsonElement item, string name, string path, string example, out string value)
    {
        value = string.Empty;
        if (JsonFields.OptionalString(item, name, $"{path}.{name}", out string? text) is { } error)
        {
            return error;
        }

        if (string.IsNullOrEmpty(text))
        {
            return new CniError(CniErrorCode.InvalidNetworkConfig, $"{path}.{name} is missing or empty; expected a value like {example}");
        }

        value = text;
        return null;
    }

    private static CniParseResult<IpamResult> Fail(CniError error) => CniParseResult<IpamResult>.Failure(error);
}
