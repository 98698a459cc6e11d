using Underpool.Api;
using Underpool.Api.Contracts;

using Underpool.Testing;

namespace Underpool.Agent.Tests;

public sealed class CniReleaseTests : AgentTest
{
    protected override Task ArrangeAsync() => Agent.CreatePoolAsync(PoolDefinitions.V4());

    [Fact]
    public async Task Del_releases_the_attachment_and_reports_what_it_released()
    {
        ApiResult<CniAddResponse> add = await Agent.AddAsync("c1", v4: ["v4"]);

        ApiResult<CniDelResponse> del = await Agent.DelAsync("c1");

        Assert.Equal(add.Value!.Ips[0].Address, Assert.Single(del.Value!.Released).Address);
        Assert.Empty(await Agent.AllocationsAsync());
    }

    [Fact]
    public async Task Del_of_an_unknown_attachment_succeeds_and_releases_nothing()
    {
        ApiResult<CniDelResponse> del = await Agent.DelAsync("never-added");

        Assert.True(del.IsSuccess);
        Assert.Empty(del.Value.Released);
    }

    [Fact]
    public async Task A_released_address_is_not_handed_out_again_at_once()
    {
        string first = (await Agent.AddAsync("c1", v4: ["v4"])).Value!.Ips[0].Address;
        await Agent.DelAsync("c1");

        string next = (await Agent.AddAsync("c2", v4: ["v4"])).Value!.Ips[0].Address;

        // Round robin like host-local: a crash-looping container does not get the address it just dropped.
        Assert.NotEqual(first, next);
    }

    [Fact]
    public async Task Check_reports_what_the_attachment_holds()
    {
        string address = (await Agent.AddAsync("c1", v4: ["v4"])).Value!.Ips[0].Address;

        ApiResult<CniCheckResponse> check = Agent.Client.Check(
            new CniCheckRequest { Attachment = InProcessAgent.Attachment("c1") });

        Assert.Equal(address, Assert.Single(check.Value!.Ips).Address);
    }

    [Fact]
    public async Task Gc_releases_only_attachments_the_runtime_no_longer_lists()
    {
        await Agent.AddAsync("keep", v4: ["v4"]);
        await Agent.AddAsync("gone", v4: ["v4"]);
        await Agent.AddAsync("other-net", network: "net2", v4: ["v4"]);

        ApiResult<CniGcResponse> gc = Agent.Client.Gc(
            new CniGcRequest { Network = "net1", ValidAttachments = [new AttachmentRef { ContainerId = "keep", IfName = "eth0" }] });

        Assert.Equal("gone", Assert.Single(gc.Value!.Released).ContainerId);
        Assert.Equal(["keep", "other-net"], (await Agent.AllocationsAsync()).Select(a => a.ContainerId).Order());
    }
}
