using System.CommandLine;
using System.Globalization;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`app-pool`: fixed address sets for stateless applications, carved from a subnet pool.</summary>
internal static class AppPoolCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        Command create = Create(global);
        help.AddExamples(create, [
            new("Give shop/web 5 fixed addresses from vlan20-a (its replicas send CNI_ARGS UNDERPOOL_APP=web)",
                "underpoolctl app-pool create web-set --subnet vlan20-a --app shop/web --size 5"),
        ]);
        Command scale = Scale(global);
        help.AddExamples(scale, [new("Room for 3 more replicas", "underpoolctl app-pool scale web-set --size 8")]);
        return new Command("app-pool", "Manage application pools: a fixed set of addresses carved from a pool for one application's replicas")
        {
            create,
            List(global),
            scale,
            Delete(global),
            Reclaim(global),
        };
    }

    private static Command Create(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The application pool's name" };
        var parent = new Option<string>("--subnet") { HelpName = "POOL", Description = "The pool to carve the addresses from", Required = true };
        var app = new Option<string>("--app") { HelpName = "NS/NAME", Description = "The application, NAMESPACE/NAME; its replicas draw only from this pool", Required = true };
        var size = new Option<int>("--size") { HelpName = "N", Description = "How many addresses (replicas + spare), 1-4096", Required = true };
        var keep = new Option<bool>("--keep") { Description = "Keep the pool when the application is deleted (app-pool reclaim)" };
        var command = new Command("create", "Carve SIZE free addresses of a pool into an application pool") { name, parent, app, size, keep };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var request = new AppPoolCreate
            {
                Name = parse.GetRequiredValue(name),
                Parent = parse.GetRequiredValue(parent),
                App = parse.GetRequiredValue(app),
                Size = parse.GetValue(size),
                Keep = parse.GetValue(keep),
            };
            return context.CallAgent(
                client => client.CreateAppPool(request),
                view => context.Print(view, ApiJsonContext.Default.PoolView, PoolText.WriteDetail));
        });
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the application pools: application, parent, size and addresses in use");
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListPools(),
                pools => context.Print<IReadOnlyList<PoolView>>(
                    pools.Where(p => p.Pool.App is not null).ToList(), ApiJsonContext.Default.IReadOnlyListPoolView, WriteTable));
        });
        return command;
    }

    private static Command Scale(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The application pool" };
        var size = new Option<int>("--size") { HelpName = "N", Description = "The new number of addresses; shrinking frees unused ones only", Required = true };
        var command = new Command("scale", "Grow (carving more of the parent) or shrink (freeing unused addresses) an application pool") { name, size };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            string pool = parse.GetRequiredValue(name);
            var request = new AppPoolScale { Size = parse.GetValue(size) };
            return context.CallAgent(
                client => client.ScaleAppPool(pool, request),
                view => context.Print(view, ApiJsonContext.Default.PoolView, PoolText.WriteDetail));
        });
        return command;
    }

    private static Command Delete(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The application pool" };
        var force = new Option<bool>("--force") { Description = "Delete even while replicas hold addresses, releasing them" };
        var command = new Command("delete", "Delete an application pool and give its addresses back to the parent") { name, force };
        command.Aliases.Add("rm");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            string pool = parse.GetRequiredValue(name);
            return context.CallAgent(
                client => client.DeleteAppPool(pool, parse.GetValue(force)),
                deleted => context.Print(
                    deleted,
                    ApiJsonContext.Default.PoolDeleteResponse,
                    (d, output) => output.WriteLine($"deleted application pool {d.Name} ({d.Released} addresses back in the parent pool{FromReplicas(d.TakenFromHolders)})")));
        });
        return command;
    }

    private static string FromReplicas(long taken) => taken == 0 ? string.Empty : $", {taken} of them taken from replicas still holding them";

    private static Command Reclaim(GlobalOptions global)
    {
        var app = new Option<string>("--app") { HelpName = "NS/NAME", Description = "The application that was deleted, NAMESPACE/NAME", Required = true };
        var command = new Command("reclaim", "The application was deleted: delete its application pools (except --keep ones) and free their addresses") { app };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            var request = new AppReclaim { App = parse.GetRequiredValue(app) };
            return context.CallAgent(
                client => client.ReclaimApp(request),
                answer => context.Print(answer, ApiJsonContext.Default.AppReclaimResponse, (a, output) =>
                {
                    output.WriteLine(a.Deleted.Count == 0 ? "no application pool to reclaim" : $"deleted {string.Join(", ", a.Deleted)}; {a.Released} addresses back in the parent pools{FromReplicas(a.TakenFromReplicas)}");
                    if (a.Kept.Count > 0)
                    {
                        output.WriteLine($"kept (created with --keep): {string.Join(", ", a.Kept)}");
                    }
                }));
        });
        return command;
    }

    private static void WriteTable(IReadOnlyList<PoolView> pools, TextWriter output)
    {
        var table = new TableWriter("NAME", "APP", "PARENT", "SIZE", "ALLOCATED", "KEEP");
        foreach (PoolView pool in pools)
        {
            table.AddRow(
                pool.Pool.Name,
                pool.Pool.App ?? PoolText.None,
                pool.Pool.Parent ?? PoolText.None,
                pool.Usage.Capacity,
                pool.Usage.Allocated.ToString(CultureInfo.InvariantCulture),
                pool.Pool.Keep ? "yes" : "no");
        }

        table.WriteTo(output);
    }
}
