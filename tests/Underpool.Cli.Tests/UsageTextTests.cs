using Underpool.Api.Contracts;
using Underpool.Testing;
using Json = Underpool.Api.Contracts.ApiJsonContext;

namespace Underpool.Cli.Tests;

/// <summary>Figures in the CLI's text say where they come from: the store revision an agent's usage is as of, and
/// each address given back by an application pool counted once.</summary>
public sealed class UsageTextTests
{
    private static readonly PoolView Counted = new()
    {
        Pool = new PoolDefinition { Name = "edge", Subnet = "172.20.1.0/24" },
        Family = "ipv4",
        Usage = new PoolUsage { Allocated = 4, Capacity = "4", PercentUsed = 100, AsOfRevision = 1234 },
    };

    [Fact]
    public async Task Pool_list_says_the_store_revision_its_allocated_column_is_as_of()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json<IReadOnlyList<PoolView>>([Counted], Json.Default.IReadOnlyListPoolView));

        CliRun run = await CliRun.RunAsync("pool", "list", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("ALLOCATED as of store revision 1234 ", run.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_show_says_the_store_revision_its_usage_is_as_of()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Counted, Json.Default.PoolView));

        CliRun run = await CliRun.RunAsync("pool", "show", "edge", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("counted", StringComparison.Ordinal) && l.Contains("as of store revision 1234", StringComparison.Ordinal));
    }

    [Fact]
    public async Task App_pool_reclaim_says_how_many_addresses_went_back_and_how_many_replicas_held()
    {
        var answer = new AppReclaimResponse { Deleted = ["web-set"], Released = 8, TakenFromReplicas = 3 };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(answer, Json.Default.AppReclaimResponse));

        CliRun run = await CliRun.RunAsync("app-pool", "reclaim", "--app", "shop/web", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("deleted web-set; 8 addresses back in the parent pools, 3 of them taken from replicas still holding them", run.OutLines[0]);
    }
}
