using System.Text.Json;
using Underpool.Api.Contracts;

namespace Underpool.Api.Tests;

/// <summary>The plugin writes and reads with <see cref="CniCallJsonContext"/>, the agent with <see cref="ApiJsonContext"/>:
/// the two must agree on the wire.</summary>
public sealed class CniCallJsonContextTests
{
    [Fact]
    public void An_add_request_is_written_byte_for_byte_as_the_agents_context_writes_it()
    {
        var request = new CniAddRequest
        {
            Attachment = new AttachmentIdentity { Network = "n", ContainerId = "c", IfName = "eth0", PodName = "p" },
            Pools = new PoolChoice { Ipv4 = ["v4"] },
            RequestedIps = ["10.0.0.5"],
        };

        Assert.Equal(
            JsonSerializer.Serialize(request, ApiJsonContext.Default.CniAddRequest),
            JsonSerializer.Serialize(request, CniCallJsonContext.Default.CniAddRequest));
    }

    [Fact]
    public void An_answer_the_agents_context_writes_reads_back_the_same_and_a_null_list_is_refused_alike()
    {
        var answer = new CniAddResponse { Ips = [new AssignedAddress { Address = "10.0.0.5/24", Pool = "v4", Family = "ipv4", Gateway = "10.0.0.1" }] };
        string json = JsonSerializer.Serialize(answer, ApiJsonContext.Default.CniAddResponse);

        CniAddResponse? read = JsonSerializer.Deserialize(json, CniCallJsonContext.Default.CniAddResponse);

        Assert.Equal(json, JsonSerializer.Serialize(read!, ApiJsonContext.Default.CniAddResponse));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"attachment\":null}", CniCallJsonContext.Default.CniDelRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"attachment\":null}", ApiJsonContext.Default.CniDelRequest));
    }
}
