using Underpool.Api.Contracts;
using Underpool.Cli.Import;

namespace Underpool.Cli.Tests.Import;

public sealed class WhereaboutsReaderTests
{
    private const string Web0 = "3f1c9b0e7a6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3";

    [Fact]
    public void IPPools_become_one_attachment_per_container_interface_with_each_address_at_its_offset_from_the_range()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(
            Fixture.Text("whereabouts.yaml"), WhereaboutsReader.Read, only: ["dc-vlan10-10.10.0.0-24", "dc-vlan10-fd00-10---64"]);

        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [
                (Web0, "net1", "shop", "web-0", "10.10.0.5,fd00:10::5"),
                ("8a2d4c6e8f0a", "net1", "shop", "web-1", "10.10.0.6"),
                ("c0ffee00c0ff", "net1", "batch", "report-28391", "10.10.0.200"),
                ("5b5b5b5b5b5b", "net1", "shop", "cache-0", "fd00:10::1000"),
            ],
            input.Attachments.Select(a => (
                a.ContainerId!.Length > 12 && a.ContainerId != Web0 ? a.ContainerId[..12] : a.ContainerId,
                a.IfName,
                a.PodNamespace,
                a.PodName,
                string.Join(',', a.Addresses.Select(x => x.Address)))));
        Assert.All(input.Attachments, a => Assert.Null(a.Node));
        Assert.Equal(
            "IPPool kube-system/dc-vlan10-10.10.0.0-24 allocation 5, IPPool kube-system/dc-vlan10-fd00-10---64 allocation 5",
            input.Attachments[0].Origin);
        Assert.Empty(input.Pools);
    }

    [Fact]
    public void Without_only_every_IPPool_of_the_file_is_read()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(Fixture.Text("whereabouts.yaml"), WhereaboutsReader.Read);

        Assert.Equal(0, errors.Count);
        Assert.Contains(input.Attachments, a => a.ContainerId == Web0 && a.IfName == "net2" && a.Addresses.Single().Address == "10.77.0.9");
    }

    [Fact]
    public void A_range_written_as_configured_counts_offsets_from_that_address_and_allocations_without_ifname_take_the_option()
    {
        const string Yaml = """
            apiVersion: whereabouts.cni.cncf.io/v1alpha1
            kind: IPPool
            metadata: {name: 192.168.2.225-28, namespace: kube-system}
            spec:
              range: 192.168.2.225/28
              allocations:
                "1": {id: c1, podref: default/a}
            """;

        (ImportInput input, InputErrors errors) = Fixture.Read(Yaml, WhereaboutsReader.Read, ifName: "net1");

        Assert.Equal(0, errors.Count);
        ImportAttachment attachment = Assert.Single(input.Attachments);
        Assert.Equal(("c1", "net1", "192.168.2.226"), (attachment.ContainerId, attachment.IfName, attachment.Addresses.Single().Address));
    }

    [Fact]
    public void Malformed_IPPools_are_refused_each_naming_the_file_line_and_object()
    {
        const string Yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: whereabouts.cni.cncf.io/v1alpha1
              kind: IPPool
              metadata: {name: a, namespace: kube-system}
              spec:
                range: 10.0.0.0/24
                allocations:
                  "x": {id: c1, ifname: net1}
                  "300": {id: c2, ifname: net1}
                  "7": {podref: default/p, ifname: net1}
                  "8": {id: c3, podref: default/q}
            - apiVersion: whereabouts.cni.cncf.io/v1alpha1
              kind: IPPool
              metadata: {name: b, namespace: kube-system}
              spec:
                range: 10.0.1.10-10.0.1.20/24
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: c, namespace: default}
            """;

        (_, InputErrors errors) = Fixture.Read(Yaml, WhereaboutsReader.Read);

        Assert.Equal(
            "pools.yaml:10: IPPool kube-system/a: spec.allocations[\"x\"]: 'x' is not an offset of an address in 10.0.0.0/24; "
            + "pools.yaml:11: IPPool kube-system/a: spec.allocations[\"300\"]: '300' is not an offset of an address in 10.0.0.0/24; "
            + "pools.yaml:12: IPPool kube-system/a: spec.allocations[\"7\"]: id (the container id) is missing; "
            + "pools.yaml:13: IPPool kube-system/a: the allocation names no interface (older versions kept none); give the pods' interface with --ifname; "
            + "pools.yaml:18: IPPool kube-system/b: spec.range '10.0.1.10-10.0.1.20/24' is the IPAM config's 'a-b/prefix' form, which Whereabouts normalises to a CIDR before it names a pool and cannot read in one; "
            + "and 1 more; nothing was imported",
            errors.Describe());
    }

    [Fact]
    public void A_file_that_is_not_YAML_is_refused_naming_where_it_breaks()
    {
        (_, InputErrors errors) = Fixture.Read("items:\n- kind: IPPool\n  spec: {range: [10.0.0.0/24\n", WhereaboutsReader.Read);

        Assert.Matches(@"^pools\.yaml:\d+:\d+: not valid YAML or JSON: .+; nothing was imported$", errors.Describe());
    }

    [Fact]
    public void Create_pools_makes_one_pool_per_IPPool_named_after_it_and_files_its_addresses_there_with_a_warning()
    {
        (ImportInput input, InputErrors errors) = Fixture.Read(
            Fixture.Text("whereabouts.yaml"), WhereaboutsReader.Read, createPools: true, only: ["dc-vlan10-10.10.0.0-24", "dc-vlan10-fd00-10---64"]);

        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [("dc-vlan10-10.10.0.0-24", "10.10.0.0/24"), ("dc-vlan10-fd00-10---64", "fd00:10::/64")],
            input.Pools.Select(p => (p.Name, p.Subnet)));
        Assert.Equal(["dc-vlan10-10.10.0.0-24", "dc-vlan10-fd00-10---64"], input.Attachments[0].Addresses.Select(a => a.Pool));
        Assert.Contains("hand out their whole subnet", Assert.Single(input.Warnings), StringComparison.Ordinal);
    }
}
