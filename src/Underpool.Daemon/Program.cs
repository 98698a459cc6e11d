using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Agent.Pools;

// underpoold: parse flags, open the store, serve until SIGTERM. Everything else lives in Underpool.Agent.
AgentOptions? options = AgentOptionsParser.Parse(args, Environment.MachineName, out string? error, out string? info);
if (info == "help")
{
    Console.Out.WriteLine(AgentOptionsParser.Help);
    return 0;
}

if (info == "version")
{
    Console.Out.WriteLine($"underpoold {AgentStatusService.Version}");
    return 0;
}

if (options is null)
{
    Console.Error.WriteLine($"underpoold: {error}");
    return 2;
}

FileCreationMask.RestrictToOwner();
try
{
    await using AgentHost host = await AgentHost.StartAsync(
        options, StoreFactory.Open(options), configureLogging: null, CancellationToken.None);
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
