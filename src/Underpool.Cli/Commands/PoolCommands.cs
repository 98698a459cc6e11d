using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`pool`: create, update, list, show and delete the cluster-wide address pools.</summary>
internal static class PoolCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        var create = new PoolCreateCommand(global);
        help.AddExamples(create.Command, PoolCreateCommand.Examples);
        var update = new PoolUpdateCommand(global);
        help.AddExamples(update.Command, PoolUpdateCommand.Examples);
        Command delete = Delete(global);
        help.AddExamples(delete, [
            new("Delete an empty pool", "underpoolctl pool delete rack1-v4"),
            new("Delete a pool and release the addresses still allocated from it", "underpoolctl pool delete rack1-v4 --force"),
        ]);

        return new Command("pool", "Manage address pools: a subnet, the ranges handed out from it, and which nodes may use it")
        {
            create.Command,
            update.Command,
            List(global),
            Show(global),
            delete,
        };
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the pools with their usage");
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListPools(),
                pools => context.Print(pools, ApiJsonContext.Default.IReadOnlyListPoolView, PoolText.WriteTable));
        });
        return command;
    }

    private static Command Show(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The pool to show" };
        var command = new Command("show", "Show every field of one pool and its usage") { name };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            string pool = parse.GetRequiredValue(name);
            return context.CallAgent(
                client => client.GetPool(pool),
                view => context.Print(view, ApiJsonContext.Default.PoolView, PoolText.WriteDetail));
        });
        return command;
    }

    private static Command Delete(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The pool to delete" };
        var force = new Option<bool>("--force")
        {
            Description = "Delete even while addresses are allocated from the pool, releasing them",
        };
        var command = new Command("delete", "Delete a pool; refused while it has allocated addresses unless --force") { name, force };
        command.Aliases.Add("rm");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            string pool = parse.GetRequiredValue(name);
            return context.CallAgent(
                client => client.DeletePool(pool, parse.GetValue(force)),
                deleted => context.Print(
                    deleted,
                    ApiJsonContext.Default.PoolDeleteResponse,
                    (d, output) => output.WriteLine($"deleted pool {d.Name} (released {d.Released} {(d.Released == 1 ? "address" : "addresses")})")),
                ExplainInUse);
        });
        return command;
    }

    // The agent's detail may already say how to force it; add the hint only when it does not.
    private static string ExplainInUse(Problem problem) =>
        problem.Type == ProblemKinds.PoolInUse.Type && !problem.Detail.Contains("--force", StringComparison.Ordinal)
            ? $"{problem.Detail.TrimEnd('.', ' ')}; use --force to release them"
            : problem.Detail;
}
