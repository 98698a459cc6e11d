using Underpool.Agent;
using Underpool.Agent.Hosting;
using Underpool.Store;
using Underpool.Store.Embedded;

/// <summary>Opens the store <see cref="AgentOptions.Store"/> names (validated by the options parser).</summary>
internal static class StoreFactory
{
    public static IIpamStore Open(AgentOptions options) => options.Store switch
    {
        "embedded" => new SqliteIpamStore(options.DataDir),
        _ => throw new AgentStartException($"--store {options.Store}: this build of underpoold cannot open it"),
    };
}
