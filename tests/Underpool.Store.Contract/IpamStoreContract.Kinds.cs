using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// AllocationRecord.Kind: derived from what every version stores, so it reads back the same on every backend.
public abstract partial class IpamStoreContract
{
    [Fact]
    public async Task Workload_static_and_carve_records_read_back_with_their_kind()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord workload = Record(pool, "172.20.1.10", Attachment("c1"));
        AllocationRecord pinned = Record(pool, "172.20.1.11", Attachment("static:web-0")) with { Static = true };
        AllocationRecord carve = Record(pool, "172.20.1.12", new AttachmentKey(AllocationRecord.CarveNetwork, "shop/web", "172.20.1.12"))
            with { Static = true }; // As the agent writes carves: static, so that nothing else releases them.
        await CommitAsync(workload);
        await CommitAsync(pinned);
        await CommitAsync(carve);

        Dictionary<string, AllocationKind> kinds = (await Store.ListAllocationsAsync(AllocationFilter.All, None))
            .ToDictionary(r => r.Address.ToString(), r => r.Kind);

        Assert.Equal(
            new Dictionary<string, AllocationKind>
            {
                ["172.20.1.10"] = AllocationKind.Workload,
                ["172.20.1.11"] = AllocationKind.Static,
                ["172.20.1.12"] = AllocationKind.Carve,
            },
            kinds);
    }
}
