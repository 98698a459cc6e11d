using System.Diagnostics;
using Underpool.Api;
using Underpool.Api.Contracts;

namespace Underpool.Footprint;

/// <summary>The agent's resident memory and the store file around a mass release: idle, after each checkpoint on the
/// way to N allocations and after N, right after releasing them all, and after the agent has been idle for a
/// while.</summary>
internal static class MassRelease
{
    /// <param name="checkpoints">Allocation counts below <paramref name="allocations"/> at which to report the memory
    /// on the way up (issue 16 asks for 10,000 and 100,000 in one run).</param>
    public static async Task RunAsync(string bin, int allocations, int clients, TimeSpan settle, IReadOnlyList<int> checkpoints)
    {
        string state = Directory.CreateTempSubdirectory("upl-footprint-").FullName;
        string data = Path.Combine(state, "store");
        try
        {
            StoreFile afterStop;
            await using (AgentRun agent = await AgentRun.StartAsync(bin, state, data))
            {
                Pools.Create(agent.Client);
                await Task.Delay(settle);
                Console.WriteLine($"RSS idle (after {settle.TotalSeconds:F0} s):            {agent.Rss()}");

                int done = 0;
                foreach (int target in checkpoints.Where(c => c < allocations).Order().Append(allocations))
                {
                    TimeSpan leg = Run(clients, done, target, i => Check(agent.Client.Add(Pools.Ipv4Add($"mass-{i}"))));
                    Console.WriteLine($"RSS after {target} ADDs ({(target - done) / leg.TotalSeconds:F0}/s):  {agent.Rss()}   store: {StoreFile.Read(data)}");
                    done = target;
                }

                TimeSpan took = Run(clients, 0, allocations, i => Check(agent.Client.Del(new CniDelRequest { Attachment = Pools.Attachment($"mass-{i}") })));
                Console.WriteLine($"RSS right after releasing all ({allocations / took.TotalSeconds:F0}/s): {agent.Rss()}   store: {StoreFile.Read(data)}");
                await Task.Delay(settle);
                Console.WriteLine($"RSS {settle.TotalSeconds:F0} s after the release:       {agent.Rss()}   store: {StoreFile.Read(data)}");
            }

            afterStop = StoreFile.Read(data);
            Console.WriteLine($"store after the agent stopped: {afterStop}");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Operations <paramref name="from"/> to <paramref name="count"/> - 1, <paramref name="clients"/> at a time.</summary>
    private static TimeSpan Run(int clients, int from, int count, Action<int> operation)
    {
        var watch = Stopwatch.StartNew();
        int next = from - 1;
        Task.WaitAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
        {
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                operation(i);
            }
        })));
        return watch.Elapsed;
    }

    private static void Check<T>(ApiResult<T> result)
        where T : class
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Problem.Detail);
        }
    }
}
