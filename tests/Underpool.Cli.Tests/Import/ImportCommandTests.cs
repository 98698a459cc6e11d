using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Cli.Tests.Import;

public sealed class ImportCommandTests
{
    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    private static readonly ImportResponse Answer = new()
    {
        Pools = [new ImportPoolResult { Name = "dc-vlan10-10.10.0.0-24", Outcome = "created" }],
        Results =
        [
            Result("10.10.0.5", "dc-vlan10-10.10.0.0-24", ImportOutcomes.Imported, null),
            Result("10.10.0.200", null, ImportOutcomes.Skipped, "outside every pool: no pool hands it out (create one, or name one with --pool)"),
        ],
    };

    [Fact]
    public async Task Import_whereabouts_sends_the_attachments_and_pools_of_the_file_and_prints_each_address_then_the_totals()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Answer, Json.ImportResponse));

        CliRun run = await CliRun.RunAsync(
            "import", "whereabouts", Fixture.PathOf("whereabouts.yaml"), "--network", "dc-vlan10", "--only", "dc-vlan10-10.10.0.0-24",
            "--create-pools", "--socket", agent.SocketPath);

        RecordedRequest request = agent.Requests.Single();
        Assert.Equal(("POST", "/v1/import"), (request.Method, request.Target));
        ImportRequest sent = JsonSerializer.Deserialize(request.Body, Json.ImportRequest)!;
        Assert.Equal(("whereabouts", "dc-vlan10", false), (sent.Source, sent.Network, sent.DryRun));
        Assert.Equal(["dc-vlan10-10.10.0.0-24"], sent.CreatePools.Select(p => p.Name));
        Assert.Equal(["10.10.0.5", "10.10.0.6", "10.10.0.200"], sent.Attachments.SelectMany(a => a.Addresses).Select(a => a.Address));
        Assert.Equal("pool dc-vlan10-10.10.0.0-24: created", run.OutLines[0]);
        Assert.Matches(@"^ACTION\s+ADDRESS\s+POOL\s+NODE\s+CONTAINER\s+IF\s+POD\s+WHY$", run.OutLines[1]);
        Assert.Matches(@"^imported\s+10\.10\.0\.5\s+dc-vlan10-10\.10\.0\.0-24\s+~imported\s+3f1c9b0e7a6d\s+net1\s+shop/web-0$", run.OutLines[2]);
        Assert.Matches(@"^skipped\s+10\.10\.0\.200\s+-\s+~imported\s+.*outside every pool", run.OutLines[3]);
        Assert.Equal("imported 1 address(es); 0 already held by the same attachment; 1 skipped", run.OutLines[4]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("hand out their whole subnet", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_with_json_output_prints_the_agents_report_and_exits_0_when_nothing_is_skipped()
    {
        var answer = new ImportResponse { DryRun = true, Results = [Result("10.10.0.5", "p", ImportOutcomes.WouldImport, null)] };
        await using var agent = ScriptedServer.Answering(200, Samples.Json(answer, Json.ImportResponse));

        CliRun run = await CliRun.RunAsync(
            "import", "spiderpool", Fixture.PathOf("spiderpool-v1.yaml"), "--network", "dc", "--dry-run", "-o", "json", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonSerializer.Deserialize(agent.Requests.Single().Body, Json.ImportRequest)!.DryRun);
        Assert.Equal(ImportOutcomes.WouldImport, JsonSerializer.Deserialize(run.Out, Json.ImportResponse)!.Results.Single().Outcome);
    }

    [Fact]
    public async Task A_malformed_file_exits_2_with_one_line_naming_its_line_and_asks_nothing_of_the_agent()
    {
        string file = Path.Combine(Path.GetTempPath(), $"upctl-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: whereabouts.cni.cncf.io/v1alpha1\nkind: IPPool\nmetadata: {name: x, namespace: kube-system}\nspec:\n  allocations: {}\n");
        try
        {
            await using var agent = ScriptedServer.Answering(200, Samples.Json(Answer, Json.ImportResponse));

            CliRun run = await CliRun.RunAsync("import", "whereabouts", file, "--network", "dc", "--socket", agent.SocketPath);

            Assert.Equal(2, run.ExitCode);
            Assert.Equal([$"underpoolctl: {file}:5: IPPool kube-system/x: spec.range is missing; nothing was imported"], run.ErrorLines);
            Assert.Empty(run.Out);
            Assert.Empty(agent.Requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Only_naming_an_object_the_file_does_not_hold_is_refused_before_anything_is_sent()
    {
        await using var agent = ScriptedServer.Answering(200, Samples.Json(Answer, Json.ImportResponse));

        CliRun run = await CliRun.RunAsync(
            "import", "whereabouts", Fixture.PathOf("whereabouts.yaml"), "--network", "dc", "--only", "dc-vlan10-10.10.0.0-24,typo", "--socket", agent.SocketPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([$"underpoolctl: --only typo: no object of that name in {Fixture.PathOf("whereabouts.yaml")}; nothing was imported"], run.ErrorLines);
        Assert.Empty(agent.Requests);
    }

    [Fact]
    public async Task Import_needs_the_network_its_attachments_are_filed_under()
    {
        CliRun run = await CliRun.RunAsync("import", "host-local", "--node", "n1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--network", run.Error, StringComparison.Ordinal);
    }

    private static ImportResult Result(string address, string? pool, string outcome, string? detail) => new()
    {
        Address = address,
        Pool = pool,
        Network = "dc-vlan10",
        ContainerId = "3f1c9b0e7a6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3",
        IfName = "net1",
        Node = "~imported",
        PodNamespace = "shop",
        PodName = "web-0",
        Outcome = outcome,
        Detail = detail,
    };
}
