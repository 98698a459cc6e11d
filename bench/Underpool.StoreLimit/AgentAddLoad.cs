using System.Diagnostics;
using System.Globalization;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.StoreLimit;

/// <summary>Underpool as a runtime uses it: ADDs through three agents (three nodes) on the etcd store, each over the
/// agent's unix socket, clients spread over the agents. Retries are the agents' own commit collisions.</summary>
internal static class AgentAddLoad
{
    public static async Task<LoadResult> RunAsync(IReadOnlyList<InProcessAgent> agents, string round, int clients, int operations)
    {
        long collisionsBefore = await CollisionsAsync(agents);
        int next = -1;
        int failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() =>
        {
            AgentClient agent = agents[client % agents.Count].Client;
            for (int i = Interlocked.Increment(ref next); i < operations; i = Interlocked.Increment(ref next))
            {
                ApiResult<CniAddResponse> add = agent.Add(new CniAddRequest
                {
                    Attachment = InProcessAgent.Attachment($"{round}-{i}"),
                    Pools = new PoolChoice { Ipv4 = ["limit"] },
                });
                if (!add.IsSuccess)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        TimeSpan elapsed = watch.Elapsed;
        return new LoadResult("underpool ADD (3 agents)", operations - failures, elapsed, await CollisionsAsync(agents) - collisionsBefore, failures);
    }

    /// <summary>The agents' commit collisions so far, from their Prometheus counters.</summary>
    private static async Task<long> CollisionsAsync(IReadOnlyList<InProcessAgent> agents)
    {
        long total = 0;
        foreach (InProcessAgent agent in agents)
        {
            ApiResult<string> text = await Task.Run(() => agent.Client.GetMetricsText());
            foreach (string line in (text.Value ?? string.Empty).Split('\n'))
            {
                if (line.StartsWith("underpool_commit_collisions_total ", StringComparison.Ordinal))
                {
                    total += (long)double.Parse(line.AsSpan(line.IndexOf(' ', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }
}
