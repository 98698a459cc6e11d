using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Agent.Pools;
using Underpool.Daemon.Options;

// underpoold: parse flags, open the store, serve until SIGTERM. Everything else lives in Underpool.Agent.
ParsedFlags flags = DaemonOptionsParser.Parse(args, Environment.MachineName);
if (flags.WantsHelp)
{
    Console.Out.WriteLine(DaemonHelp.Text);
    return 0;
}

if (flags.WantsVersion)
{
    Console.Out.WriteLine($"underpoold {AgentStatusService.Version}");
    return 0;
}

if (flags.Options is not { } options)
{
    foreach (string error in flags.Errors)
    {
        Console.Error.WriteLine($"underpoold: {error}");
    }

    return 2;
}

FileCreationMask.RestrictToOwner();
try
{
    await using AgentHost host = await AgentHost.StartAsync(
        options.Agent, StoreFactory.Open(options), configureLogging: null, CancellationToken.None);
    await host.WaitForShutdownAsync(CancellationToken.None);
    return 0;
}
catch (AgentStartException e)
{
    Console.Error.WriteLine($"underpoold: {e.Message}");
    return 1;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"underpoold: cannot start: {e.Message}");
    return 1;
}
