using Underpool.Api.Contracts;
using Underpool.Cli.Import;

namespace Underpool.Cli.Tests.Import;

public sealed class HostLocalReaderTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("upctl-hostlocal-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public void Each_address_file_becomes_an_address_of_its_container_interface_and_host_locals_own_files_are_skipped()
    {
        Write("172.20.1.10", "aaaa1111\r\neth0");
        Write("fd00:20:1::10", "aaaa1111\r\neth0");
        Write("172.20.1.11", "bbbb2222\r\nnet1");
        Write("last_reserved_ip.0", "172.20.1.11");
        Write("last_reserved_ip.1", "fd00:20:1::10");
        Write("lock", string.Empty);
        Write("notes.txt", "not host-local's");

        var errors = new InputErrors();
        ImportInput input = HostLocalReader.Read(_dataDir, "dc", "node1", "pool-a", ifName: null, errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [("aaaa1111", "eth0", "172.20.1.10,fd00:20:1::10"), ("bbbb2222", "net1", "172.20.1.11")],
            input.Attachments.Select(a => (a.ContainerId, a.IfName, string.Join(',', a.Addresses.Select(x => x.Address)))));
        Assert.All(input.Attachments, a => Assert.Equal("node1", a.Node));
        Assert.All(input.Attachments.SelectMany(a => a.Addresses), a => Assert.Equal("pool-a", a.Pool));
        Assert.Contains("notes.txt", Assert.Single(input.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_an_older_host_local_without_interface_takes_the_ifname_option_or_is_refused()
    {
        Write("172.20.1.12", "cccc3333");

        var refused = new InputErrors();
        HostLocalReader.Read(_dataDir, "dc", "node1", null, ifName: null, refused);
        var errors = new InputErrors();
        ImportInput input = HostLocalReader.Read(_dataDir, "dc", "node1", null, ifName: "eth0", errors);

        Assert.Equal(
            $"{Path.Combine(_dataDir, "dc", "172.20.1.12")}: names no interface (written by an older host-local); give the containers' interface with --ifname; nothing was imported",
            refused.Describe());
        Assert.Equal(("cccc3333", "eth0"), (input.Attachments.Single().ContainerId, input.Attachments.Single().IfName));
    }

    [Fact]
    public void A_network_with_no_directory_is_refused_saying_where_host_local_keeps_it()
    {
        var errors = new InputErrors();

        HostLocalReader.Read(_dataDir, "missing", "node1", null, null, errors);

        Assert.StartsWith($"{Path.Combine(_dataDir, "missing")} does not exist: host-local keeps network 'missing' in DATA-DIR/missing/", errors.Describe(), StringComparison.Ordinal);
    }

    private void Write(string name, string content)
    {
        Directory.CreateDirectory(Path.Combine(_dataDir, "dc"));
        File.WriteAllText(Path.Combine(_dataDir, "dc", name), content);
    }
}
