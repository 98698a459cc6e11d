using System.Diagnostics;
using Underpool.Api;
using Underpool.Api.Contracts;

namespace Underpool.Footprint;

/// <summary>The agent's resident memory and the store file around a mass release: idle, after N allocations, right
/// after releasing them all, and after the agent has been idle for a while.</summary>
internal static class MassRelease
{
    public static async Task RunAsync(string bin, int allocations, int clients, TimeSpan settle)
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

                TimeSpan took = Run(clients, allocations, i => Check(agent.Client.Add(Pools.Ipv4Add($"mass-{i}"))));
                Console.WriteLine($"RSS after {allocations} ADDs ({allocations / took.TotalSeconds:F0}/s):  {agent.Rss()}   store: {StoreFile.Read(data)}");

                took = Run(clients, allocations, i => Check(agent.Client.Del(new CniDelRequest { Attachment = Pools.Attachment($"mass-{i}") })));
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

    private static TimeSpan Run(int clients, int count, Action<int> operation)
    {
        var watch = Stopwatch.StartNew();
        int next = -1;
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
