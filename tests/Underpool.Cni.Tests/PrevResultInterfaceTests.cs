namespace Underpool.Cni.Tests;

public sealed class PrevResultInterfaceTests
{
    // What a bridge-like main plugin prints: the host's bridge and veth end first (no sandbox), then the container's.
    private const string Full = """
        {"cniVersion":"1.0.0",
         "interfaces":[{"name":"eth0","mac":"02:00:00:00:00:01"},
                       {"name":"veth1","mac":"02:00:00:00:00:02"},
                       {"name":"eth0","mac":"0A:58:0A:14:01:64","sandbox":"/var/run/netns/pod1"},
                       {"name":"net1","mac":"0a:58:0a:15:01:64","sandbox":"/var/run/netns/pod1"}],
         "ips":[{"address":"172.20.1.10/24","interface":2}]}
        """;

    [Theory]
    [InlineData("eth0", "0A:58:0A:14:01:64")]
    [InlineData("net1", "0a:58:0a:15:01:64")]
    [InlineData("net2", null)]
    [InlineData(null, null)]
    public void The_mac_is_the_container_interface_of_that_name_never_a_host_side_one(string? ifName, string? mac) =>
        Assert.Equal(mac, PrevResultInterface.MacOf(TestJson.Parse(Full), ifName));

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"172.20.1.10/24"}]}""")]
    [InlineData("""{"interfaces":"eth0"}""")]
    [InlineData("""{"interfaces":[7,null,{"name":"eth0","sandbox":"/x"},{"name":"eth0","mac":5,"sandbox":"/x"}]}""")]
    [InlineData("""[]""")]
    public void A_result_without_a_usable_interface_entry_gives_no_mac_and_no_error(string prevResult) =>
        Assert.Null(PrevResultInterface.MacOf(TestJson.Parse(prevResult), "eth0"));
}
