using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;
using Underpool.Cli.Parsing;

namespace Underpool.Cli.Commands;

/// <summary>`pool create`: its options, their mapping onto a PoolDefinition, and the POST.</summary>
internal sealed class PoolCreateCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The pool's name, unique in the cluster" };

    private readonly Option<string> _subnet = new("--subnet")
    {
        Description = "The underlay subnet, e.g. 10.20.0.0/24 or 2001:db8:20::/64 (the family follows from it)",
        HelpName = "CIDR",
        Required = true,
    };

    private readonly Option<string[]> _ranges = new("--ranges")
    {
        Description = "Addresses the pool may hand out: 'a-b' ranges and single IPs, comma-separated or repeated (default: the whole subnet)",
        HelpName = "a-b,c",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string[]> _exclude = new("--exclude")
    {
        Description = "Addresses inside the ranges never to hand out, comma-separated or repeated",
        HelpName = "ip,ip",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string> _gateway = new("--gateway")
    {
        Description = "The subnet's gateway, given to pods and never handed out",
        HelpName = "IP",
    };

    private readonly Option<AssignedRoute[]> _routes = new("--route")
    {
        Description = "A route pods get: DST or DST,GW (repeat for more), e.g. 0.0.0.0/0,10.20.0.1",
        HelpName = "DST[,GW]",
        CustomParser = OptionValueParsers.Routes,
    };

    private readonly Option<int?> _vlan = new("--vlan")
    {
        Description = "The 802.1Q VLAN ID the subnet lives on, reported to the main plugin",
        HelpName = "N",
        CustomParser = OptionValueParsers.Vlan,
    };

    private readonly Option<string[]> _nodes = new("--nodes")
    {
        Description = "Only these nodes may use the pool, comma-separated or repeated (with --node-selector: only those of them whose labels match)",
        HelpName = "n1,n2",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string> _nodeSelector = new("--node-selector")
    {
        Description = "Only nodes whose labels match may use the pool (with --nodes: only the named nodes that match): "
            + "'k=v,k2!=v,k3 in (a,b),k4 notin (c),k5,!k6'",
        HelpName = "EXPR",
    };

    private readonly Option<bool> _default = new("--default")
    {
        Description = "Make it a default pool for its family (used when a pod and its network name none)",
    };

    private readonly Option<bool> _disabled = new("--disabled")
    {
        Description = "Create it disabled: it hands out no address until 'underpoolctl pool update NAME --enable'",
    };

    private readonly Option<string> _probe = new("--probe")
    {
        Description = "Probe each address (ARP / NDP) before handing it out and skip ones another host answers for "
            + "(default: the agent's --probe)",
        HelpName = "on|off",
    };

    private readonly Option<string> _checkGateway = new("--check-gateway")
    {
        Description = "Check the gateway answers on the node's uplink before an ADD returns: 'on' fails the ADD when it does "
            + "not, 'warn' logs it (default: off; needs --gateway)",
        HelpName = "off|on|warn",
    };

    public PoolCreateCommand(GlobalOptions global)
    {
        _probe.AcceptOnlyFromAmong("on", "off");
        _checkGateway.AcceptOnlyFromAmong("off", "on", "warn");
        Command = new Command("create", "Create a pool of underlay addresses; prints it as 'pool show' does")
        {
            _name, _subnet, _ranges, _exclude, _gateway, _routes, _vlan, _nodes, _nodeSelector, _default, _disabled, _probe, _checkGateway,
        };
        Command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            PoolDefinition pool = ToDefinition(parse);
            return context.CallAgent(
                client => client.CreatePool(pool),
                view => context.Print(view, ApiJsonContext.Default.PoolView, PoolText.WriteDetail));
        });
    }

    public Command Command { get; }

    public static IReadOnlyList<Example> Examples { get; } =
    [
        new("An IPv4 pool handing out .10-.200 and .250, with its gateway and a default route",
            "underpoolctl pool create rack1-v4 --subnet 10.20.0.0/24 --ranges 10.20.0.10-10.20.0.200,10.20.0.250 "
            + "--gateway 10.20.0.1 --route 0.0.0.0/0,10.20.0.1"),
        new("An IPv6 /64 (never enumerated: any size is fine)",
            "underpoolctl pool create rack1-v6 --subnet 2001:db8:20::/64 --gateway 2001:db8:20::1"),
        new("A pool only nodes in racks r1 and r2 may use, on VLAN 120",
            "underpoolctl pool create racks12 --subnet 10.30.0.0/24 --vlan 120 --node-selector 'rack in (r1,r2)'"),
        new("Split one subnet between two racks: pools of one subnet need disjoint ranges",
            "underpoolctl pool create vlan20-r1 --subnet 10.20.0.0/24 --ranges 10.20.0.10-10.20.0.99 --gateway 10.20.0.1 --nodes n1,n2\n"
            + "  underpoolctl pool create vlan20-r2 --subnet 10.20.0.0/24 --ranges 10.20.0.100-10.20.0.199 --gateway 10.20.0.1 --nodes n3,n4"),
        new("A pool only nodes n1 and n2 may use, and only while they carry the label rack=r1",
            "underpoolctl pool create r1-pair --subnet 10.40.0.0/24 --nodes n1,n2 --node-selector rack=r1"),
        new("A pool whose gateway must answer before a pod starts, never probing its addresses",
            "underpoolctl pool create vlan30 --subnet 10.30.1.0/24 --gateway 10.30.1.1 --check-gateway on --probe off"),
    ];

    /// <summary>The parsed command line as the agent's PoolDefinition; values go as given, the agent validates them.</summary>
    public PoolDefinition ToDefinition(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new PoolDefinition
        {
            // Required argument and option: the parser refused the command line before this runs if either is missing.
            Name = parse.GetRequiredValue(_name),
            Subnet = parse.GetRequiredValue(_subnet),
            Ranges = parse.GetValue(_ranges) ?? [],
            Exclude = parse.GetValue(_exclude) ?? [],
            Gateway = parse.GetValue(_gateway),
            Routes = parse.GetValue(_routes) ?? [],
            Vlan = parse.GetValue(_vlan),
            Nodes = parse.GetValue(_nodes) ?? [],
            NodeSelector = parse.GetValue(_nodeSelector),
            Default = parse.GetValue(_default),
            Disabled = parse.GetValue(_disabled),
            Probe = parse.GetValue(_probe),
            CheckGateway = parse.GetValue(_checkGateway),
        };
    }
}
