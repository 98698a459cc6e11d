using Underpool.Core.Pools;
using static Underpool.Store.Contract.SampleRecords;

namespace Underpool.Store.Contract;

// A store that cannot be used now: every backend says so with StoreUnavailableException and whether anything changed,
// so the agent decides by type (its retry, 503 / CNI 11) whichever store it runs on.
public abstract partial class IpamStoreContract
{
    /// <summary>A store on this test's backing data that cannot be written now, and what ends that when disposed (the
    /// backend's own way: etcd's endpoints refusing connections, SQLite's file held locked by another connection).</summary>
    protected abstract Task<(IIpamStore Store, IAsyncDisposable Ends)> MakeUnavailableAsync();

    [Fact]
    public async Task A_commit_to_an_unavailable_store_throws_StoreUnavailableException_that_says_whether_anything_changed()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = Record(pool, "172.20.1.10");

        StoreUnavailableException e;
        (IIpamStore unavailable, IAsyncDisposable ends) = await MakeUnavailableAsync();
        await using (ends)
        {
            e = await Assert.ThrowsAsync<StoreUnavailableException>(() => unavailable.TryCommitAsync([record], None));
        }

        // A backend may not know (an etcd commit past its deadline may have landed), but it must say which, once, and a
        // store that says nothing changed must hold nothing. Neither backend reached its data here, so nothing is held.
        Assert.False(e.RefusesWrites, e.Message);
        Assert.EndsWith(StoreUnavailableException.Statement(e.NothingChanged), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreUnavailableException.Statement(!e.NothingChanged), e.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.GetAttachmentAsync(record.Attachment, None));
        Assert.Equal(CommitStatus.Committed, (await Store.TryCommitAsync([record], None)).Status);
    }

    [Fact]
    public async Task A_release_on_an_unavailable_store_throws_StoreUnavailableException_and_the_attachment_keeps_its_addresses()
    {
        PoolSpec pool = await CreatePoolAsync(SamplePools.V4());
        AllocationRecord record = Record(pool, "172.20.1.10");
        await CommitAsync(record);

        StoreUnavailableException e;
        (IIpamStore unavailable, IAsyncDisposable ends) = await MakeUnavailableAsync();
        await using (ends)
        {
            e = await Assert.ThrowsAsync<StoreUnavailableException>(() => unavailable.ReleaseAttachmentAsync(record.Attachment, None));
        }

        Assert.EndsWith(StoreUnavailableException.Statement(e.NothingChanged), e.Message, StringComparison.Ordinal);
        Assert.Equal(record.Address, Assert.Single(await Store.GetAttachmentAsync(record.Attachment, None)).Address);
    }
}
