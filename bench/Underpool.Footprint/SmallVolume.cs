using System.Diagnostics;
using Underpool.Api;
using Underpool.Api.Contracts;

namespace Underpool.Footprint;

/// <summary>How many dual-stack ADDs the embedded store takes on a 512 KiB tmpfs before the volume is full.</summary>
internal static class SmallVolume
{
    public static async Task RunAsync(string bin, int limit)
    {
        string state = Directory.CreateTempSubdirectory("upl-footprint-").FullName;
        string volume = Path.Combine(state, "volume");
        Directory.CreateDirectory(volume);
        await RunToolAsync("mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", volume);
        try
        {
            int added;
            StoreFile files;
            string? failure;
            await using (AgentRun agent = await AgentRun.StartAsync(bin, state, volume))
            {
                Pools.Create(agent.Client);
                (added, failure) = AddUntilFull(agent.Client, limit);
                files = StoreFile.Read(volume);
            }

            Console.WriteLine($"small volume (tmpfs 512 KiB): {added} dual-stack ADDs before the first failure");
            Console.WriteLine($"  first failure: {failure ?? "(none within the limit)"}");
            Console.WriteLine($"  at that moment: {files}");
        }
        finally
        {
            await RunToolAsync("umount", volume);
            Directory.Delete(state, recursive: true);
        }
    }

    private static (int Added, string? Failure) AddUntilFull(AgentClient client, int limit)
    {
        for (int i = 0; i < limit; i++)
        {
            ApiResult<CniAddResponse> add = client.Add(Pools.DualStackAdd($"small-{i}"));
            if (!add.IsSuccess)
            {
                return (i, add.Problem.Detail);
            }
        }

        return (limit, null);
    }

    private static async Task RunToolAsync(string tool, params string[] args)
    {
        using Process process = Process.Start(tool, args);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}");
        }
    }
}
