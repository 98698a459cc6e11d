using Underpool.Api.Contracts;
using Underpool.Cli.Import;
using Underpool.Core.Net;

namespace Underpool.Cli.Tests.Import;

public sealed class SpiderpoolReaderTests
{
    [Fact]
    public void V2beta1_allocations_without_a_container_id_are_keyed_by_pod_uid_and_gathered_across_pools_per_pod_interface()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(Fixture.Text("spiderpool.yaml"), SpiderpoolReader.Read);

        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [
                ("5e0c2a4b-8d1f-4e6a-9b3c-7f2d1e0a9b8c", "shop", "api-7d9f8c6b5-x2kqp", "10.30.0.10,fd00:30::10"),
                ("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "shop", "api-7d9f8c6b5-p9wzt", "10.30.0.11"),
                ("ffeeddcc-bbaa-4998-8776-655443322110", "ops", "debug-tools", "10.30.0.120"),
            ],
            input.Attachments.Select(a => (a.PodUid, a.PodNamespace, a.PodName, string.Join(',', a.Addresses.Select(x => x.Address)))));
        Assert.All(input.Attachments, a => Assert.Equal((null, "eth0", null), (a.ContainerId, a.IfName, a.Node)));
        Assert.All(input.Attachments.SelectMany(a => a.Addresses), a => Assert.Null(a.Pool));
    }

    [Fact]
    public void Create_pools_carries_the_spec_over_with_excluded_ranges_cut_out_and_node_names_winning_over_node_affinity()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(Fixture.Text("spiderpool.yaml"), SpiderpoolReader.Read, createPools: true);

        Assert.Equal(0, errors.Count);
        PoolDefinition v4 = input.Pools[0];
        PoolDefinition v6 = input.Pools[1];
        Assert.Equal(
            ("vlan30-v4", "10.30.0.0/24", "10.30.0.10-10.30.0.49,10.30.0.53-10.30.0.99", "10.30.0.1", 30, "rack in (r1,r2)"),
            (v4.Name, v4.Subnet, string.Join(',', v4.Ranges), v4.Gateway, v4.Vlan, v4.NodeSelector));
        Assert.Equal([("10.99.0.0/16", "10.30.0.254")], v4.Routes.Select(r => (r.Dst, r.Gw)));
        Assert.Equal(("vlan30-v6", "fd00:30::10-fd00:30::ff", "worker-1,worker-2", null), (v6.Name, string.Join(',', v6.Ranges), string.Join(',', v6.Nodes), v6.NodeSelector));
        Assert.Equal(["vlan30-v4", "vlan30-v6"], input.Attachments[0].Addresses.Select(a => a.Pool));
        Assert.Equal("SpiderIPPool vlan30-v4: podAffinity not carried over (Underpool chooses pools per network config and pod, not by these)", Assert.Single(input.Warnings));
    }

    [Fact]
    public void V1_allocations_are_keyed_by_their_container_on_their_node()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(Fixture.Text("spiderpool-v1.yaml"), SpiderpoolReader.Read);

        Assert.Equal(0, errors.Count);
        ImportAttachment attachment = Assert.Single(input.Attachments);
        Assert.Equal(
            ("6e3d9f1a2b4c5d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2", null, "eth0", "spider-worker", "default", "nginx-5d8f7c8b9-4kq2w", "172.18.40.40"),
            (attachment.ContainerId, attachment.PodUid, attachment.IfName, attachment.Node, attachment.PodNamespace, attachment.PodName, attachment.Addresses.Single().Address));
    }

    [Fact]
    public void Allocations_that_cannot_be_read_are_refused_naming_the_line_and_the_pool()
    {
        const string Yaml = """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderIPPool
            metadata: {name: broken}
            spec: {subnet: 10.40.0.0/24, ips: [10.40.0.10-10.40.0.20]}
            status:
              allocatedIPs: '{"10.40.0.10":{"pod":"shop/a","podUid":"u1"},"10.40.0.11":{"pod":"shop/b"},"10.40.0.12":'
            """;

        (_, InputErrors errors) = Fixture.Read(Yaml, SpiderpoolReader.Read, ifName: "eth0");

        Assert.StartsWith("pools.yaml:6: SpiderIPPool broken: status.allocatedIPs is not valid JSON: ", errors.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_allocation_naming_neither_a_container_nor_a_pod_uid_or_no_interface_is_refused()
    {
        const string Yaml = """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderIPPool
            metadata: {name: partial}
            spec: {subnet: 10.40.0.0/24}
            status:
              allocatedIPs: '{"10.40.0.10":{"pod":"shop/a"},"10.40.0.11":{"pod":"shop/b","podUid":"u2"}}'
            """;

        (_, InputErrors errors) = Fixture.Read(Yaml, SpiderpoolReader.Read);

        Assert.Equal(
            "pools.yaml:6: SpiderIPPool partial: status.allocatedIPs[\"10.40.0.10\"]: names neither a containerID nor a podUid, so no DEL could ever release it; "
            + "pools.yaml:6: SpiderIPPool partial: the allocation names no interface (older versions kept none); give the pods' interface with --ifname; "
            + "nothing was imported",
            errors.Describe());
    }

    [Fact]
    public void Cutting_excluded_ranges_out_of_ranges_keeps_every_other_address_and_only_those()
    {
        List<IpRange> left = SpiderpoolPoolDefinition.Without(
            [IpRange.Parse("10.0.0.10-10.0.0.20"), IpRange.Parse("10.0.0.30"), IpRange.Parse("fd00::1-fd00::ffff")],
            [IpRange.Parse("10.0.0.5-10.0.0.10"), IpRange.Parse("10.0.0.15"), IpRange.Parse("10.0.0.20-10.0.0.40"), IpRange.Parse("fd00::2-fd00::fffe")]);

        Assert.Equal(["10.0.0.11-10.0.0.14", "10.0.0.16-10.0.0.19", "fd00::1", "fd00::ffff"], left.Select(r => r.ToString()));
    }
}
