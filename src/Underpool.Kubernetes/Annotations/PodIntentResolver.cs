using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Core.Pools;

namespace Underpool.Kubernetes.Annotations;

/// <summary>Decides an ADD's pools, requested addresses, static flag and application from the pod's annotations, its
/// namespace's, its owner and the netconf (pure). Pools, highest first: pod <c>pools-by-interface</c> (this
/// interface's entry) &gt; pod <c>pools</c> &gt; namespace <c>default-ipv4-pools</c>/<c>default-ipv6-pools</c> &gt;
/// netconf <c>pools</c> &gt; the default pools. The first source that names any pool decides both families (a family
/// it leaves out is not allocated), as the netconf's <c>pools</c> always did.</summary>
internal static class PodIntentResolver
{
    /// <param name="poolFamily">The family of a pool by name, null when no such pool exists.</param>
    public static Checked<PodIntent> Resolve(PodIntentRequest request, Func<string, IpFamily?> poolFamily)
    {
        ArgumentNullException.ThrowIfNull(request);
        Checked<(PoolChoice Pools, PoolSource Source)> pools = ChoosePools(request, poolFamily);
        if (!pools.IsValid)
        {
            return pools.Problem;
        }

        Checked<IReadOnlyList<string>> requested = ChooseAddresses(request);
        if (!requested.IsValid)
        {
            return requested.Problem;
        }

        Checked<bool> isStatic = ChooseStatic(request);
        if (!isStatic.IsValid)
        {
            return isStatic.Problem;
        }

        Checked<string?> app = ChooseApp(request);
        if (!app.IsValid)
        {
            return app.Problem;
        }

        (string Kind, string Name)? owner = request.Owner is { } o ? (o.Kind, o.Name) : null;
        return new PodIntent(pools.Value.Pools, pools.Value.Source, requested.Value!, isStatic.Value, owner, app.Value);
    }

    private static Checked<(PoolChoice, PoolSource)> ChoosePools(PodIntentRequest request, Func<string, IpFamily?> poolFamily)
    {
        PodAnnotations annotations = request.Annotations;
        if (annotations.TryGet(UnderpoolAnnotations.PoolsByInterface, out string byInterface, out AnnotationSource source))
        {
            if (!PoolAnnotationParser.TryParseByInterface(byInterface, request.IfName, out PoolChoice? choice, out string? error))
            {
                return Problem(request, UnderpoolAnnotations.PoolsByInterface, source, error!);
            }

            if (choice is not null)
            {
                return Known(request, UnderpoolAnnotations.PoolsByInterface, source, choice, PoolSource.PodByInterface, poolFamily);
            }
        }

        if (annotations.TryGet(UnderpoolAnnotations.Pools, out string pools, out source))
        {
            return PoolAnnotationParser.TryParsePools(pools, out PoolChoice? choice, out string? error)
                ? Known(request, UnderpoolAnnotations.Pools, source, choice!, PoolSource.Pod, poolFamily)
                : Problem(request, UnderpoolAnnotations.Pools, source, error!);
        }

        Checked<PoolChoice?> namespaceDefaults = NamespaceDefaults(request, poolFamily);
        if (!namespaceDefaults.IsValid)
        {
            return namespaceDefaults.Problem;
        }

        if (namespaceDefaults.Value is { } defaults)
        {
            return (defaults, PoolSource.Namespace);
        }

        bool netconfNames = request.NetconfPools.Ipv4.Count > 0 || request.NetconfPools.Ipv6.Count > 0;
        return (request.NetconfPools, netconfNames ? PoolSource.Netconf : PoolSource.Default);
    }

    private static Checked<PoolChoice?> NamespaceDefaults(PodIntentRequest request, Func<string, IpFamily?> poolFamily)
    {
        var lists = new List<IReadOnlyList<string>>(2);
        foreach (string annotation in new[] { UnderpoolAnnotations.DefaultIpv4Pools, UnderpoolAnnotations.DefaultIpv6Pools })
        {
            IReadOnlyList<string> names = [];
            if (request.NamespaceAnnotations.TryGetValue(annotation, out string? text)
                && !PoolAnnotationParser.TryParseList(text, out names, out string? error))
            {
                return Problem(request, annotation, AnnotationSource.Namespace, error!);
            }

            lists.Add(names);
        }

        if (lists[0].Count == 0 && lists[1].Count == 0)
        {
            return (PoolChoice?)null;
        }

        var choice = new PoolChoice { Ipv4 = lists[0], Ipv6 = lists[1] };
        string named = lists[0].Count > 0 ? UnderpoolAnnotations.DefaultIpv4Pools : UnderpoolAnnotations.DefaultIpv6Pools;
        Checked<(PoolChoice, PoolSource)> known = Known(request, named, AnnotationSource.Namespace, choice, PoolSource.Namespace, poolFamily);
        return known.IsValid ? choice : known.Problem;
    }

    /// <summary>The choice when every pool it names exists and is of the family it is listed under.</summary>
    private static Checked<(PoolChoice, PoolSource)> Known(
        PodIntentRequest request, string annotation, AnnotationSource source, PoolChoice choice, PoolSource poolSource, Func<string, IpFamily?> poolFamily)
    {
        foreach ((IpFamily family, IReadOnlyList<string> names) in new[] { (IpFamily.V4, choice.Ipv4), (IpFamily.V6, choice.Ipv6) })
        {
            foreach (string name in names)
            {
                IpFamily? actual = poolFamily(name);
                if (actual is null)
                {
                    return Problem(request, annotation, source, $"names pool '{name}', which does not exist (see 'underpoolctl pool list')");
                }

                if (actual != family)
                {
                    return Problem(request, annotation, source, $"lists pool '{name}' as {family.ToDisplay()}, but it is an {actual.Value.ToDisplay()} pool");
                }
            }
        }

        return (choice, poolSource);
    }

    private static Checked<IReadOnlyList<string>> ChooseAddresses(PodIntentRequest request)
    {
        if (request.RuntimeRequestedIps.Count > 0)
        {
            return Checked(request.RuntimeRequestedIps);
        }

        if (request.Annotations.TryGet(UnderpoolAnnotations.IpsByInterface, out string byInterface, out AnnotationSource source))
        {
            if (!AddressAnnotationParser.TryParseByInterface(byInterface, request.IfName, out IReadOnlyList<string>? addresses, out string? error))
            {
                return Problem(request, UnderpoolAnnotations.IpsByInterface, source, error!);
            }

            if (addresses is not null)
            {
                return Checked(addresses);
            }
        }

        if (request.Annotations.TryGet(UnderpoolAnnotations.Ip, out string ip, out source))
        {
            return AddressAnnotationParser.TryParseIp(ip, out IReadOnlyList<string> addresses, out string? error)
                ? Checked(addresses)
                : Problem(request, UnderpoolAnnotations.Ip, source, error!);
        }

        return Checked([]);

        static Checked<IReadOnlyList<string>> Checked(IReadOnlyList<string> value) => Checked<IReadOnlyList<string>>.Valid(value);
    }

    /// <summary>The annotation when present, else an apps/v1 StatefulSet owner, else the netconf's ipam.static.</summary>
    private static Checked<bool> ChooseStatic(PodIntentRequest request)
    {
        if (request.Annotations.TryGet(UnderpoolAnnotations.Static, out string text, out AnnotationSource source))
        {
            return bool.TryParse(text, out bool asked)
                ? asked
                : Problem(request, UnderpoolAnnotations.Static, source, $"'{text}' must be \"true\" or \"false\"");
        }

        return request.Owner?.IsStatefulSet == true || request.NetconfStatic;
    }

    /// <summary>The annotation when present (NAME in the pod's namespace, or NAMESPACE/NAME), else the Deployment owner's key.</summary>
    private static Checked<string?> ChooseApp(PodIntentRequest request)
    {
        if (!request.Annotations.TryGet(UnderpoolAnnotations.App, out string text, out AnnotationSource source))
        {
            return request.Owner?.AppKey;
        }

        string key = text.Contains('/', StringComparison.Ordinal) ? text : KubernetesNames.Key(request.PodNamespace, text);
        return AppKey.IsValid(key)
            ? key
            : Problem(request, UnderpoolAnnotations.App, source, $"'{text}' must be NAME or NAMESPACE/NAME, like web or shop/web");
    }

    private static AnnotationProblem Problem(PodIntentRequest request, string annotation, AnnotationSource source, string detail) =>
        new(annotation, $"pod {request.Pod}", source, detail);
}
