using Underpool.Api.Contracts;

namespace Underpool.Cli.Tests;

public sealed class ConflictCommandTests
{
    private static readonly ConflictList Quarantined = new()
    {
        Conflicts =
        [
            View("10.20.0.12", "02:42:ac:14:01:3c", ConflictView.Foreign, null),
            View("10.20.0.13", "02:00:00:00:0a:02", ConflictView.OurNode, "n2"),
            View("10.20.0.14", "0a:58:0a:14:01:64", ConflictView.OurPod, "shop/web-0"),
        ],
    };

    [Fact]
    public async Task Conflict_list_shows_each_answering_mac_and_whether_it_is_our_node_our_pod_or_foreign()
    {
        await using var agent = FakeAgent.Answering(200, Samples.Json(Quarantined, Api.Contracts.ApiJsonContext.Default.ConflictList));

        CliRun table = await CliRun.RunAsync("conflict", "list", "--socket", agent.SocketPath);
        CliRun json = await CliRun.RunAsync("conflict", "list", "-o", "json", "--socket", agent.SocketPath);

        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"^ADDRESS\s+POOL\s+MAC\s+ANSWERED BY\s+SEEN ON\s+IF\s+DETECTED$", table.OutLines[0]);
        Assert.Matches(@"^10\.20\.0\.12\s+vlan20\s+02:42:ac:14:01:3c\s+foreign\s+n1\s+eth0\s+2026-01-02T03:04:05Z$", table.OutLines[1]);
        Assert.Matches(@"^10\.20\.0\.13\s+vlan20\s+02:00:00:00:0a:02\s+node n2\s+n1\s", table.OutLines[2]);
        Assert.Matches(@"^10\.20\.0\.14\s+vlan20\s+0a:58:0a:14:01:64\s+pod shop/web-0\s+n1\s", table.OutLines[3]);
        Assert.Contains("\"answeredBy\": \"node\"", json.Out, StringComparison.Ordinal);
        Assert.Contains("\"owner\": \"shop/web-0\"", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conflict_clear_of_an_address_our_own_pod_answered_for_says_so()
    {
        await using var agent = FakeAgent.Answering(200, Samples.Json(Quarantined.Conflicts[2], Api.Contracts.ApiJsonContext.Default.ConflictView));

        CliRun run = await CliRun.RunAsync("conflict", "clear", "10.20.0.14", "--socket", agent.SocketPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "freed 10.20.0.14: its answer came from our own pod shop/web-0, not a foreign host; pool 'vlan20' may hand it out again",
            Assert.Single(run.OutLines));
    }

    private static ConflictView View(string address, string mac, string answeredBy, string? owner) => new()
    {
        Address = address,
        Pool = "vlan20",
        Mac = mac,
        AnsweredBy = answeredBy,
        Owner = owner,
        Node = "n1",
        Interface = "eth0",
        DetectedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };
}
