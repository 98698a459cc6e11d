using Microsoft.Extensions.Logging;
using Underpool.Agent.Hosting;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Store.Embedded;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>An agent starts whether or not its store answers: an etcd that is down at boot leaves it running not ready
/// (not in a crash loop) until etcd comes back; a data directory that can never work stops it with one line.</summary>
public sealed class StartWithoutStoreTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_agent_whose_etcd_is_down_at_start_serves_not_ready_and_becomes_ready_by_itself_when_etcd_comes_back()
    {
        await using EtcdCluster etcd = EtcdCluster.Reserve(1);
        var logs = new CapturedLogs();

        // Before, the start failed here after ~2.6 s (underpoold exited 1: a crash loop on Kubernetes).
        await using InProcessAgent agent = await InProcessAgent.StartOnEtcdAsync(
            etcd.ClientUrls, $"/upl-start-{Guid.NewGuid():N}", "node1", callTimeout: TimeSpan.FromSeconds(1), storeRetry: TimeSpan.Zero, logs: logs);

        AgentStatus status = (await Task.Run(agent.Client.Status)).Value!;
        Assert.False(status.Ready);
        Assert.Contains("etcd store", status.Reason, StringComparison.Ordinal);
        ApiResult<CniAddResponse> add = await agent.AddAsync("c1", v4: ["v4"]);
        Assert.Equal((503, 11), (add.Problem!.Status, add.Problem.CniCode));
        Assert.Contains("has not reached its store yet: etcd store", add.Problem.Detail, StringComparison.Ordinal);

        await etcd.StartMembersAsync();
        await Condition.WaitUntilAsync(
            _ => Task.Run(() => agent.Client.Status().Value?.Ready == true), Deadline, "the agent to become ready once etcd answers");
        await agent.CreatePoolAsync(PoolDefinitions.V4());
        Assert.True((await agent.AddAsync("c1", v4: ["v4"])).IsSuccess);

        // Once when it started failing, once when it worked: not once per attempt.
        Assert.Single(logs.At(LogLevel.Warning, "not ready: etcd store"));
        Assert.Single(logs.At(LogLevel.Information, "ready: reached the store"));
    }

    [Fact]
    public async Task An_embedded_store_in_a_directory_that_cannot_be_created_stops_the_start_with_one_line_naming_it()
    {
        AgentStartException refused = await Assert.ThrowsAsync<AgentStartException>(() => InProcessAgent.StartAsync(dataDir: "/dev/null/store"));

        Assert.Contains("/dev/null/store/underpool.db", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public async Task An_embedded_store_on_a_read_only_file_system_stops_the_start_with_one_line_naming_it()
    {
        using TmpfsVolume readOnly = TmpfsVolume.Mount("64k", readOnly: true);

        AgentStartException refused = await Assert.ThrowsAsync<AgentStartException>(() => InProcessAgent.StartAsync(dataDir: readOnly.Path));

        Assert.Contains(Path.Combine(readOnly.Path, SqliteIpamStore.FileName), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }
}
