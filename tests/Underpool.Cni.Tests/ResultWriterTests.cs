using System.Text;
using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni.Tests;

/// <summary>The result an ADD prints is written by hand (<see cref="ResultWriter"/>); it must be the bytes the
/// source-generated context writes, in every field and every cniVersion's shape.</summary>
public sealed class ResultWriterTests
{
    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void A_result_with_every_field_is_written_byte_for_byte_as_the_context_writes_it(string version)
    {
        var result = new ResultWire
        {
            CniVersion = version,
            Ips =
            [
                new IpWire { Version = "4", Address = "10.0.0.5/24", Gateway = "10.0.0.1" },
                new IpWire { Address = "fd00::5/64" },
            ],
            Routes = [new RouteConfig("0.0.0.0/0", "10.0.0.254"), new RouteConfig("::/0")],
            Dns = new DnsConfig(["10.0.0.53"], "example.org", ["a.example.org", "b+c \"q\" <é>"], ["ndots:2"]),
        };

        Assert.Equal(JsonSerializer.Serialize(result, CniJsonContext.Output.ResultWire), Written(result));
    }

    [Fact]
    public void A_result_without_routes_or_dns_leaves_them_out_as_the_context_does()
    {
        var result = new ResultWire { CniVersion = "1.0.0", Ips = [new IpWire { Address = "10.0.0.5/24" }], Dns = new DnsConfig() };

        Assert.Equal(JsonSerializer.Serialize(result, CniJsonContext.Output.ResultWire), Written(result));
    }

    private static string Written(ResultWire result)
    {
        using var stream = new MemoryStream();
        ResultWriter.Write(stream, result);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
