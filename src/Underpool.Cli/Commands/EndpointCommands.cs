using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Help;
using Underpool.Cli.Output;

namespace Underpool.Cli.Commands;

/// <summary>`endpoint`: workload instances and their addresses; the explicit release of static ones.</summary>
internal static class EndpointCommands
{
    public static Command Build(GlobalOptions global, HelpSections help)
    {
        Command release = Release(global);
        help.AddExamples(release, [
            new("Give a static instance's addresses back (it will get new ones next time)", "underpoolctl endpoint release shop/db-0"),
            new("StatefulSet shop/web scaled to 2: free web-2 and above", "underpoolctl endpoint release --owner StatefulSet/web --namespace shop --replicas 2"),
            new("StatefulSet shop/web deleted: free all its instances", "underpoolctl endpoint release --owner StatefulSet/web --namespace shop"),
        ]);
        return new Command("endpoint", "Show workload instances (endpoints) and release static ones")
        {
            List(global),
            Show(global),
            release,
        };
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List endpoints: name, static or not, running, node and addresses");
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListEndpoints(),
                list => context.Print(list, ApiJsonContext.Default.EndpointList, EndpointText.WriteTable));
        });
        return command;
    }

    private static Command Show(GlobalOptions global)
    {
        var name = new Argument<string>("NAME") { Description = "The endpoint: NAMESPACE/NAME, a podman container name, or a container id" };
        var command = new Command("show", "Show one endpoint: owner, container, node and addresses per interface") { name };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            return context.CallAgent(
                client => client.ListEndpoints(parse.GetRequiredValue(name)),
                list => context.Print(list.Endpoints[0], ApiJsonContext.Default.EndpointView, EndpointText.WriteDetail));
        });
        return command;
    }

    private static Command Release(GlobalOptions global)
    {
        var name = new Argument<string?>("NAME") { Description = "The endpoint to release (or use --owner)", Arity = ArgumentArity.ZeroOrOne };
        var owner = new Option<string?>("--owner") { Description = "Release an owner's endpoints instead: KIND/NAME, like StatefulSet/web" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The owner's namespace" };
        var replicas = new Option<int?>("--replicas") { Description = "The owner was scaled to this many: release ordinals from it up" };
        var command = new Command("release", "Release an endpoint's addresses now, static or not; running pods lose them") { name, owner, ns, replicas };
        command.SetAction(parse =>
        {
            var context = CommandContext.From(parse, global);
            EndpointReleaseRequest? request = ToRequest(parse.GetValue(name), parse.GetValue(owner), parse.GetValue(ns), parse.GetValue(replicas), out string? usage);
            if (request is null)
            {
                return context.UsageError(usage!, "endpoint release"); // Set whenever the request is null.
            }

            return context.CallAgent(
                client => client.ReleaseEndpoints(request),
                answer => context.Print(answer, ApiJsonContext.Default.EndpointReleaseResponse, EndpointText.WriteReleased));
        });
        return command;
    }

    private static EndpointReleaseRequest? ToRequest(string? name, string? owner, string? ns, int? replicas, out string? usage)
    {
        usage = null;
        if ((name is null) == (owner is null))
        {
            usage = "give an endpoint NAME or --owner KIND/NAME (not both)";
            return null;
        }

        if (name is not null)
        {
            if (ns is not null || replicas is not null)
            {
                usage = "--namespace and --replicas go with --owner";
                return null;
            }

            return new EndpointReleaseRequest { Name = name };
        }

        string[] parts = owner!.Split('/'); // Checked above: exactly one of name and owner is set.
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            usage = $"--owner '{owner}' must be KIND/NAME, like StatefulSet/web";
            return null;
        }

        return new EndpointReleaseRequest { OwnerKind = parts[0], OwnerName = parts[1], Namespace = ns, Replicas = replicas };
    }
}
