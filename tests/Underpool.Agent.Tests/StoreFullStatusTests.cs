using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>STATUS is honest about a store that refuses writes: on a full disk every ADD fails, so the agent is not
/// ready and says why, and it is ready again as soon as there is room.</summary>
public sealed class StoreFullStatusTests
{
    [Fact]
    public async Task Status_is_not_ready_naming_a_full_disk_and_ready_again_once_space_is_freed()
    {
        using TmpfsVolume volume = TmpfsVolume.Mount("512k");
        await using (InProcessAgent agent = await InProcessAgent.StartAsync(volume.Path, configure: o => o with { StoreRetryBudget = TimeSpan.Zero }))
        {
            await agent.CreatePoolAsync(PoolDefinitions.V4(subnet: "10.81.0.0/16", gateway: "10.81.0.1"));
            await agent.CreatePoolAsync(PoolDefinitions.V6(subnet: "fd00:81::/64", gateway: "fd00:81::1"));
            string filler = volume.Fill();

            Problem refused = await AddUntilRefusedAsync(agent);
            Assert.Equal(11, refused.CniCode);
            Assert.Contains("disk full", refused.Detail, StringComparison.Ordinal);

            // Before, STATUS said ready here while every ADD failed with SQLite error 13.
            AgentStatus full = (await Task.Run(agent.Client.Status)).Value!;
            Assert.False(full.Ready);
            Assert.Contains("disk full", full.Reason, StringComparison.Ordinal);
            Assert.Contains(volume.Path, full.Reason, StringComparison.Ordinal);

            File.Delete(filler);
            Assert.True((await Task.Run(agent.Client.Status)).Value!.Ready);
            Assert.True((await agent.AddAsync("after-full", v4: ["v4"], v6: ["v6"])).IsSuccess);
        }
    }

    private static async Task<Problem> AddUntilRefusedAsync(InProcessAgent agent)
    {
        for (int i = 0; i < 1_000; i++)
        {
            ApiResult<CniAddResponse> add = await agent.AddAsync($"c{i}", v4: ["v4"], v6: ["v6"]);
            if (!add.IsSuccess)
            {
                return add.Problem;
            }
        }

        throw new InvalidOperationException("1,000 dual-stack ADDs fit on a full 512 KiB volume");
    }
}
