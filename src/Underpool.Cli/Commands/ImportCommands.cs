using System.CommandLine;
using Underpool.Cli.Help;
using Underpool.Cli.Import;

namespace Underpool.Cli.Commands;

/// <summary>`import`: adopt the live allocations of host-local, Whereabouts or Spiderpool without renumbering a pod.</summary>
internal static class ImportCommands
{
    /// <summary>Why --network is required, for every import's help.</summary>
    private const string NetworkHelp =
        "The CNI network name (the netconf's \"name\") these pods' interfaces use, and will keep using with Underpool: "
        + "Underpool keys an attachment by network, container and interface, as the CNI spec does, so their later DEL and "
        + "ADD find what is imported only under that name. The other IPAM does not record it (host-local: its directory name)";

    public static Command Build(GlobalOptions global, HelpSections help) => new(
        "import",
        "Adopt the addresses another IPAM handed out to running pods, so switching to Underpool renumbers none of them "
        + "and never hands one to another pod. Each attachment (container interface) is imported whole or not at all; "
        + "an address outside every pool or held by another attachment is reported and skipped, never overwritten; "
        + "running an import again changes nothing. Exit 1 when anything was skipped")
    {
        HostLocal(global, help),
        CustomResources(global, help, "whereabouts", "Whereabouts IPPool objects (whereabouts.cni.cncf.io)",
            "kubectl get ippools.whereabouts.cni.cncf.io -A -o yaml", WhereaboutsReader.Read),
        CustomResources(global, help, "spiderpool", "Spiderpool SpiderIPPool objects (spiderpool.spidernet.io)",
            "kubectl get spiderippools -o yaml", SpiderpoolReader.Read),
    };

    private static Command HostLocal(GlobalOptions global, HelpSections help)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "host-local's dataDir (its netconf's ipam.dataDir); the network's files are in DIR/NETWORK/",
            HelpName = "DIR",
            DefaultValueFactory = _ => "/var/lib/cni/networks",
        };
        var network = NetworkOption();
        var node = new Option<string>("--node")
        {
            Description = "The node these files are from, where their containers run (host-local's state is per node)",
            HelpName = "NODE",
            Required = true,
        };
        var pool = new Option<string>("--pool") { Description = "File every address in this pool (default: the pool that hands it out)", HelpName = "POOL" };
        var ifName = IfNameOption("files that name no interface (written by an older host-local)");
        var dryRun = DryRunOption();
        var command = new Command("host-local", "Import host-local's address files of one network on one node")
        {
            dataDir, network, node, pool, ifName, dryRun,
        };
        help.AddExamples(command, [
            new("What would be imported from this node's host-local state of network dc-vlan20", "underpoolctl import host-local --network dc-vlan20 --node rack1-n1 --dry-run"),
            new("Import it, every address into pool vlan20-a", "underpoolctl import host-local --data-dir /var/lib/cni/networks --network dc-vlan20 --node rack1-n1 --pool vlan20-a"),
        ]);
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var errors = new InputErrors();
            ImportInput input = HostLocalReader.Read(
                parse.GetValue(dataDir)!, parse.GetValue(network)!, parse.GetValue(node)!, parse.GetValue(pool), parse.GetValue(ifName), errors);
            return ImportRun.Send(context, "host-local", parse.GetValue(network)!, parse.GetValue(dryRun), input, errors, "import host-local");
        });
        return command;
    }

    private static Command CustomResources(
        GlobalOptions global,
        HelpSections help,
        string source,
        string what,
        string kubectl,
        Func<IReadOnlyList<KubeObject>, CustomResourceOptions, InputErrors, ImportInput> read)
    {
        var file = new Argument<string>("FILE") { Description = $"What '{kubectl}' printed (YAML or JSON, a List or one object); '-' reads standard input" };
        var network = NetworkOption();
        var createPools = new Option<bool>("--create-pools")
        {
            Description = "Create an Underpool pool per object (named after it, checked as 'pool create' checks it; one that exists is kept) and file its addresses there",
        };
        var only = new Option<string[]>("--only")
        {
            Description = "Import only the objects of these names (metadata.name), comma-separated or repeated: the pools of this network when the file holds others",
            HelpName = "NAME",
            CustomParser = Parsing.OptionValueParsers.CommaList,
        };
        var ifName = IfNameOption("allocations that name no interface");
        var dryRun = DryRunOption();
        var command = new Command(source, $"Import the allocations recorded in {what}")
        {
            file, network, createPools, only, ifName, dryRun,
        };
        help.AddExamples(command, [
            new("What would be imported, and the pools that would be created", $"{kubectl} > pools.yaml && underpoolctl import {source} pools.yaml --network dc-vlan20 --create-pools --dry-run"),
            new("Import from a pipe into existing pools", $"{kubectl} | underpoolctl import {source} - --network dc-vlan20 --ifname net1"),
        ]);
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            string path = parse.GetValue(file)!;
            string? text = ReadAll(path, context);
            if (text is null)
            {
                return ExitCodes.Usage;
            }

            var errors = new InputErrors();
            List<KubeObject> objects = KubeDocument.Load(text, path == "-" ? "stdin" : path, errors);
            var options = new CustomResourceOptions(parse.GetValue(ifName), parse.GetValue(createPools), parse.GetValue(only) ?? []);
            foreach (string missing in options.Only.Where(name => !objects.Any(o => o.Name == name)))
            {
                errors.Add($"--only {missing}: no object of that name in {(path == "-" ? "stdin" : path)}");
            }

            ImportInput input = errors.Count > 0 ? new ImportInput([], [], []) : read(objects, options, errors);
            return ImportRun.Send(context, source, parse.GetValue(network)!, parse.GetValue(dryRun), input, errors, $"import {source}");
        });
        return command;
    }

    private static string? ReadAll(string path, CommandContext context)
    {
        try
        {
            return path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"underpoolctl: cannot read {path}: {OneLine.Of(e.Message)}");
            return null;
        }
    }

    private static Option<string> NetworkOption() => new("--network") { Description = NetworkHelp, HelpName = "NAME", Required = true };

    private static Option<string> IfNameOption(string which) => new("--ifname")
    {
        Description = $"The interface (CNI_IFNAME, e.g. eth0 or net1) of {which}",
        HelpName = "IF",
    };

    private static Option<bool> DryRunOption() => new("--dry-run") { Description = "Only print what would be imported (and created); change nothing" };
}
