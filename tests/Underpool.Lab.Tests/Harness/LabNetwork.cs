using System.Net;
using System.Net.Sockets;
using Underpool.Testing;

namespace Underpool.Lab.Tests;

/// <summary>
/// A data-centre in network namespaces: a <c>switch</c> namespace holding bridge <c>br0</c>, and node
/// namespaces whose uplink <c>eth0</c> is a veth into that bridge. Every name starts with <see cref="Prefix"/>;
/// disposing deletes every namespace the lab made, and with it every link inside.
/// </summary>
public sealed class LabNetwork : IAsyncDisposable
{
    private const string Bridge = "br0";
    private static readonly TimeSpan LinkUpTimeout = TimeSpan.FromSeconds(10);

    private readonly List<NetworkNamespace> created = [];
    private readonly List<LabNode> nodes = [];
    private int portCount;
    private bool disposed;

    private LabNetwork(string prefix, IPNetwork subnet)
    {
        Prefix = prefix;
        Subnet = subnet;
        Switch = new NetworkNamespace(prefix + "switch");
    }

    /// <summary>Starts every namespace and link name, e.g. <c>upl3fa09c-</c>.</summary>
    public string Prefix { get; }

    /// <summary>The underlay subnet the nodes' uplinks sit in.</summary>
    public IPNetwork Subnet { get; }

    public NetworkNamespace Switch { get; }

    /// <summary>Nodes <c>PREFIXnode1..N</c>, holding the subnet's top addresses downwards from .250 in a /24.</summary>
    public IReadOnlyList<LabNode> Nodes => nodes;

    /// <summary>Builds a switch and <paramref name="nodeCount"/> nodes on <paramref name="subnet"/> (IPv4 CIDR).</summary>
    public static async Task<LabNetwork> CreateAsync(
        int nodeCount, string subnet, CancellationToken cancellationToken = default)
    {
        LabPrerequisites.EnsureLab();
        var network = IPNetwork.Parse(subnet);
        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork || network.PrefixLength > 24)
        {
            throw new ArgumentException($"The lab's node subnet must be IPv4 and at least a /24, not {subnet}.", nameof(subnet));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(nodeCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodeCount, 50);

        await LabPrefix.DeleteOrphansAsync(cancellationToken);
        var lab = new LabNetwork(LabPrefix.Create(), network);
        try
        {
            await lab.BuildSwitchAsync(cancellationToken);
            for (var i = 1; i <= nodeCount; i++)
            {
                lab.nodes.Add(await lab.AddHostAsync($"node{i}", lab.NodeAddress(i), cancellationToken));
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Wires one more namespace <c>PREFIX+name</c> to the switch with <paramref name="address"/> on its
    /// <c>eth0</c>: a host on the underlay that no IPAM knows of (the "legacy host"), or a further node.
    /// </summary>
    public async Task<LabNode> AddHostAsync(string name, IPAddress address, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!Subnet.Contains(address))
        {
            throw new ArgumentException($"{address} is outside the lab subnet {Subnet}.", nameof(address));
        }

        var host = await AddNamespaceAsync(name, cancellationToken);
        var port = $"{Prefix}v{++portCount}";
        var sw = Switch.Name;
        var ns = host.Name;
        // Both veth ends are born inside their namespaces: nothing ever appears in the root namespace.
        await IpRoute2.RunAsync(["-n", sw, "link", "add", port, "type", "veth", "peer", "name", LabNode.Uplink, "netns", ns], cancellationToken);
        await IpRoute2.RunAsync(["-n", sw, "link", "set", port, "master", Bridge, "up"], cancellationToken);
        await IpRoute2.RunAsync(["-n", ns, "link", "set", "lo", "up"], cancellationToken);
        await IpRoute2.RunAsync(["-n", ns, "addr", "add", $"{address}/{Subnet.PrefixLength}", "dev", LabNode.Uplink], cancellationToken);
        await IpRoute2.RunAsync(["-n", ns, "link", "set", LabNode.Uplink, "up"], cancellationToken);
        await Condition.WaitUntilAsync(
            async token => await IpRoute2.OperStateAsync(ns, LabNode.Uplink, token) == "UP",
            LinkUpTimeout,
            $"{ns}/{LabNode.Uplink} to come up",
            cancellationToken);
        return new LabNode(host, address, Subnet.PrefixLength);
    }

    /// <summary>Creates an empty pod namespace <c>PREFIX+name</c>; its <see cref="NetworkNamespace.Path"/> is CNI_NETNS.</summary>
    public Task<NetworkNamespace> AddPodNamespaceAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return AddNamespaceAsync(name, cancellationToken);
    }

    /// <summary>Runs a program inside one of the lab's namespaces (<c>ip netns exec</c>).</summary>
    public Task<ProcessResult> RunInNamespaceAsync(
        NetworkNamespace ns,
        string program,
        IEnumerable<string> arguments,
        ReadOnlyMemory<byte> standardInput = default,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        if (!ns.Name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{ns} is not a namespace of lab {Prefix}.", nameof(ns));
        }

        return ns.ExecAsync(program, arguments, standardInput, environment, timeout, cancellationToken);
    }

    /// <summary>Deletes pods, nodes and the switch, then anything else named with the prefix.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var failures = new List<string>();
        // Teardown must finish even when the test that owns the lab was cancelled.
        for (var i = created.Count - 1; i >= 0; i--)
        {
            if (await IpRoute2.DeleteNamespaceAsync(created[i].Name, CancellationToken.None) is { } failed)
            {
                failures.Add(failed.Describe());
            }
        }

        // Also catches a namespace whose creation timed out after the kernel had made it.
        failures.AddRange(await LabPrefix.DeleteNamespacesAsync(Prefix, CancellationToken.None));
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"Lab {Prefix} could not delete all of its namespaces:\n{string.Join('\n', failures)}");
        }
    }

    private async Task BuildSwitchAsync(CancellationToken cancellationToken)
    {
        await AddNamespaceAsync("switch", cancellationToken);
        var sw = Switch.Name;
        await IpRoute2.RunAsync(["-n", sw, "link", "set", "lo", "up"], cancellationToken);
        // STP off (the default) makes ports forward as soon as they are up.
        await IpRoute2.RunAsync(["-n", sw, "link", "add", Bridge, "type", "bridge", "stp_state", "0"], cancellationToken);
        await IpRoute2.RunAsync(["-n", sw, "link", "set", Bridge, "up"], cancellationToken);
    }

    private async Task<NetworkNamespace> AddNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var ns = new NetworkNamespace(Prefix + name);
        if (name.Length == 0 || name.Contains('/') || ns.Name.Length > 64)
        {
            throw new ArgumentException($"'{name}' is not a usable namespace name.", nameof(name));
        }

        // Recorded before creation so a half-made namespace is still deleted; pods may be made in parallel.
        lock (created)
        {
            created.Add(ns);
        }

        await IpRoute2.RunAsync(["netns", "add", ns.Name], cancellationToken);
        return ns;
    }

    // Nodes take the top of the subnet, leaving its low addresses to the pools under test: .250, .249, ...
    private IPAddress NodeAddress(int node)
    {
        var hostBits = 32 - Subnet.PrefixLength;
        var baseValue = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(Subnet.BaseAddress.GetAddressBytes()));
        var broadcast = baseValue | (uint)((1L << hostBits) - 1);
        return new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder((int)(broadcast - 4 - (uint)node))));
    }
}
