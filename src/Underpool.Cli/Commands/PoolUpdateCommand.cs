using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;
using Underpool.Cli.Parsing;

namespace Underpool.Cli.Commands;

/// <summary>`pool update`: its options, their mapping onto a PoolUpdate (only what is given changes), and the POST.</summary>
internal sealed class PoolUpdateCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The pool to change" };

    private readonly Option<string[]> _addRanges = new("--add-ranges")
    {
        Description = "Add 'a-b' ranges and single IPs, comma-separated or repeated (the pool must already list ranges; ranges are never removed)",
        HelpName = "a-b,c",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string[]> _addExclude = new("--add-exclude")
    {
        Description = "Stop handing out these addresses; refused while one is allocated (the holders are named)",
        HelpName = "ip,ip",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string[]> _removeExclude = new("--remove-exclude")
    {
        Description = "Hand these excluded addresses out again",
        HelpName = "ip,ip",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<string> _gateway = new("--gateway")
    {
        Description = "The new gateway; refused while it is allocated in the pool",
        HelpName = "IP",
    };

    private readonly Option<bool> _noGateway = new("--no-gateway") { Description = "Remove the gateway" };

    private readonly Option<AssignedRoute[]> _routes = new("--route")
    {
        Description = "Replace the routes: DST or DST,GW (repeat for more)",
        HelpName = "DST[,GW]",
        CustomParser = OptionValueParsers.Routes,
    };

    private readonly Option<bool> _noRoutes = new("--no-routes") { Description = "Remove every route" };

    private readonly Option<string[]> _nodes = new("--nodes")
    {
        Description = "Replace the node names: only these nodes may use the pool (with a node selector: only those of them whose labels match)",
        HelpName = "n1,n2",
        CustomParser = OptionValueParsers.CommaList,
    };

    private readonly Option<bool> _noNodes = new("--no-nodes") { Description = "Remove the node names (the node selector alone, if any, decides)" };

    private readonly Option<string> _nodeSelector = new("--node-selector")
    {
        Description = "Replace the node selector: only nodes whose labels match may use the pool (with node names: only those of them)",
        HelpName = "EXPR",
    };

    private readonly Option<bool> _noNodeSelector = new("--no-node-selector") { Description = "Remove the node selector" };

    private readonly Option<bool> _disable = new("--disable")
    {
        Description = "Hand out nothing new from the pool; its holders keep their addresses and can release them",
    };

    private readonly Option<bool> _enable = new("--enable") { Description = "Hand out addresses from the pool again" };

    public PoolUpdateCommand(GlobalOptions global)
    {
        Command = new Command("update", "Change a pool in place: add ranges, add or remove excluded addresses, change its nodes, gateway "
                                        + "or routes, disable or enable it; prints it as 'pool show' does")
        {
            _name, _addRanges, _addExclude, _removeExclude, _gateway, _noGateway, _routes, _noRoutes, _nodes, _noNodes,
            _nodeSelector, _noNodeSelector, _disable, _enable,
        };
        Command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            if (Conflict(parse) is { } conflict)
            {
                return context.UsageError(conflict, "pool update");
            }

            string pool = parse.GetRequiredValue(_name);
            PoolUpdate change = ToUpdate(parse);
            return context.CallAgent(
                client => client.UpdatePool(pool, change),
                view => context.Print(view, ApiJsonContext.Default.PoolView, PoolText.WriteDetail));
        });
    }

    public Command Command { get; }

    public static IReadOnlyList<Example> Examples { get; } =
    [
        new("Drain a pool: hand out nothing new, let its pods keep their addresses",
            "underpoolctl pool update rack1-v4 --disable"),
        new("Grow a pool by a range and stop handing out one address (refused while a pod holds it)",
            "underpoolctl pool update rack1-v4 --add-ranges 10.20.0.201-10.20.0.240 --add-exclude 10.20.0.77"),
        new("Move the pool to racks r3 and r4 and give it a new gateway and default route",
            "underpoolctl pool update rack1-v4 --node-selector 'rack in (r3,r4)' --gateway 10.20.0.254 --route 0.0.0.0/0,10.20.0.254"),
        new("Let only node n7 use the pool, whatever its labels",
            "underpoolctl pool update rack1-v4 --nodes n7 --no-node-selector"),
    ];

    /// <summary>The parsed command line as the agent's PoolUpdate: absent options stay absent, so they change nothing.</summary>
    public PoolUpdate ToUpdate(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new PoolUpdate
        {
            AddRanges = parse.GetValue(_addRanges) ?? [],
            AddExclude = parse.GetValue(_addExclude) ?? [],
            RemoveExclude = parse.GetValue(_removeExclude) ?? [],
            Gateway = parse.GetValue(_noGateway) ? string.Empty : parse.GetValue(_gateway),
            Routes = parse.GetValue(_noRoutes) ? [] : Given(parse.GetValue(_routes)),
            Nodes = parse.GetValue(_noNodes) ? [] : Given(parse.GetValue(_nodes)),
            NodeSelector = parse.GetValue(_noNodeSelector) ? string.Empty : parse.GetValue(_nodeSelector),
            Disabled = parse.GetValue(_disable) ? true : parse.GetValue(_enable) ? false : null,
        };
    }

    /// <summary>Options that contradict each other, as one sentence; null when there are none.</summary>
    private string? Conflict(ParseResult parse)
    {
        (bool Both, Option Set, Option Clear)[] pairs =
        [
            (parse.GetValue(_gateway) is not null && parse.GetValue(_noGateway), _gateway, _noGateway),
            (Given(parse.GetValue(_routes)) is not null && parse.GetValue(_noRoutes), _routes, _noRoutes),
            (Given(parse.GetValue(_nodes)) is not null && parse.GetValue(_noNodes), _nodes, _noNodes),
            (parse.GetValue(_nodeSelector) is not null && parse.GetValue(_noNodeSelector), _nodeSelector, _noNodeSelector),
            (parse.GetValue(_disable) && parse.GetValue(_enable), _disable, _enable),
        ];
        return pairs.Where(p => p.Both).Select(p => $"{p.Set.Name} and {p.Clear.Name} contradict each other; give one of them").FirstOrDefault();
    }

    // A list option that was not given reads as null or empty (its parser may run without tokens): either means "unchanged".
    private static T[]? Given<T>(T[]? values) => values is { Length: > 0 } ? values : null;
}
