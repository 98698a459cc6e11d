namespace Underpool.Kubernetes.Annotations;

/// <summary>Every annotation Underpool reads, in one place. docs/kubernetes.md shows each with an example.</summary>
internal static class UnderpoolAnnotations
{
    public const string Prefix = "underpool.io/";

    /// <summary>Pod: pools per interface, <c>[{"interface":"net1","ipv4":["a"],"ipv6":["b"]}]</c>. Wins over every other pool choice.</summary>
    public const string PoolsByInterface = Prefix + "pools-by-interface";

    /// <summary>Pod: pools for every interface not listed by interface, <c>{"ipv4":["a"],"ipv6":["b"]}</c>.</summary>
    public const string Pools = Prefix + "pools";

    /// <summary>Namespace: the default IPv4 pools of its pods, <c>["p1","p2"]</c>.</summary>
    public const string DefaultIpv4Pools = Prefix + "default-ipv4-pools";

    /// <summary>Namespace: the default IPv6 pools of its pods, <c>["p1","p2"]</c>.</summary>
    public const string DefaultIpv6Pools = Prefix + "default-ipv6-pools";

    /// <summary>Pod: the address(es) asked for, one per family: <c>10.20.0.33</c> or <c>10.20.0.33,fd00:20::33</c>.</summary>
    public const string Ip = Prefix + "ip";

    /// <summary>Pod: the addresses asked for per interface, <c>[{"interface":"net1","ipv4":"10.20.0.33","ipv6":"fd00:20::33"}]</c>.</summary>
    public const string IpsByInterface = Prefix + "ips-by-interface";

    /// <summary>Pod: "true" or "false": keep (or not) the same address across re-creation, whatever the owner.</summary>
    public const string Static = Prefix + "static";

    /// <summary>Pod: the application (NAME in the pod's namespace, or NAMESPACE/NAME) whose application pools it draws from.</summary>
    public const string App = Prefix + "app";

    /// <summary>StatefulSet: "true" keeps its pods' static addresses when it is deleted (to be re-created).</summary>
    public const string Keep = Prefix + "keep";

    /// <summary>Deployment: the subnet pool its application pool is carved from.</summary>
    public const string AppPoolSubnet = Prefix + "app-pool-subnet";

    /// <summary>Deployment: the application pool's size, "N" (fixed) or "+N" (replicas + N).</summary>
    public const string AppPoolSize = Prefix + "app-pool-size";

    /// <summary>Deployment: "false" keeps the application pool when the Deployment is deleted.</summary>
    public const string AppPoolReclaim = Prefix + "app-pool-reclaim";

    /// <summary>Only the annotations of ours: the rest of an object's annotations (kubectl's last-applied-configuration
    /// is a whole manifest) is never read, so it is not kept.</summary>
    public static IReadOnlyDictionary<string, string> Only(IDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            return Pods.PodInfo.Empty;
        }

        return annotations.Where(a => a.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
    }
}
