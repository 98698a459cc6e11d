using System.Text;
using System.Text.Json;
using Underpool.Api.Contracts;
using Underpool.Api.Wire;

namespace Underpool.Api.Tests;

/// <summary>The plugin writes its ADD, DEL and CHECK requests and reads their answers by hand (Wire); the contract
/// types and the agent's context stay the description of the wire. These hold the two together.</summary>
public sealed class CniCallWireTests
{
    private static readonly CniAddRequest FullAdd = new()
    {
        Attachment = new AttachmentIdentity
        {
            Network = "net", ContainerId = "c1", IfName = "eth0", NetNs = "/var/run/netns/x",
            PodNamespace = "ns", PodName = "p", PodUid = "u-1",
        },
        Pools = new PoolChoice { Ipv4 = ["v4a", "v4b"], Ipv6 = ["v6"] },
        Uplink = "eth1",
        Args = new Dictionary<string, string> { ["IP"] = "10.0.0.5", ["K8S_POD_NAME"] = "p" },
        RequestedIps = ["10.0.0.5/24"],
        Static = true,
        CniArgs = new Dictionary<string, JsonElement>
        {
            ["underpool.io/pools"] = JsonDocument.Parse("""{"ipv4":["a"]}""").RootElement,
            ["underpool.io/static"] = JsonDocument.Parse("\"true\"").RootElement,
        },
        PodAnnotations = new Dictionary<string, string> { ["underpool.io/vlan"] = "20" },
    };

    [Fact]
    public void Every_property_of_the_add_request_is_written_byte_for_byte_as_the_agents_context_writes_it()
    {
        // Every property set: a property added to a contract and not to the writer fails here.
        Assert.True(AllPropertiesSet(FullAdd));

        Assert.Equal(
            JsonSerializer.Serialize(FullAdd, ApiJsonContext.Default.CniAddRequest),
            Encoding.UTF8.GetString(CniCallWriter.Add(FullAdd)));
    }

    [Fact]
    public void A_minimal_add_a_del_and_a_check_are_written_as_the_agents_context_writes_them()
    {
        var who = new AttachmentIdentity { Network = "n", ContainerId = "c", IfName = "eth0" };
        var add = new CniAddRequest { Attachment = who };
        var del = new CniDelRequest { Attachment = FullAdd.Attachment };
        var check = new CniCheckRequest { Attachment = who, Mac = "aa:bb:cc:dd:ee:ff" };

        Assert.Equal(JsonSerializer.Serialize(add, ApiJsonContext.Default.CniAddRequest), Encoding.UTF8.GetString(CniCallWriter.Add(add)));
        Assert.Equal(JsonSerializer.Serialize(del, ApiJsonContext.Default.CniDelRequest), Encoding.UTF8.GetString(CniCallWriter.Del(del)));
        Assert.Equal(JsonSerializer.Serialize(check, ApiJsonContext.Default.CniCheckRequest), Encoding.UTF8.GetString(CniCallWriter.Check(check)));
    }

    [Theory]
    [InlineData("quote \" backslash \\ newline \n tab \t bell \u0007")]
    [InlineData("<script>&'+` é 雪 😀")]
    public void Text_that_needs_escaping_reads_back_the_same_through_the_agents_context(string text)
    {
        var request = new CniAddRequest
        {
            Attachment = new AttachmentIdentity { Network = text, ContainerId = "c", IfName = "eth0" },
            Args = new Dictionary<string, string> { [text] = text },
        };

        CniAddRequest? read = JsonSerializer.Deserialize(CniCallWriter.Add(request), ApiJsonContext.Default.CniAddRequest);

        Assert.Equal(text, read?.Attachment.Network);
        Assert.Equal(text, read?.Args[text]);
    }

    [Theory]
    [InlineData("""{"ips":[{"address":"10.0.0.5/24","gateway":"10.0.0.1","pool":"v4","family":"ipv4","vlan":20}],"chosenPools":{"ipv4":["a"],"ipv6":[]},"routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1"},{"dst":"::/0"}]}""")]
    [InlineData("""{"IPS":[{"Address":"10.0.0.5/24","POOL":"v4","family":"ipv4","vlan":"7","extra":{"x":[1,2]}}],"unknown":true}""")]
    [InlineData("""{"ips":[null],"routes":[null]}""")]
    [InlineData("""{"ips":[]}""")]
    [InlineData("""{"ips":[],"chosenPools":null}""")]
    [InlineData("""null""")]
    [InlineData("""{}""")]
    [InlineData("""{"routes":[]}""")]
    [InlineData("""{"ips":null}""")]
    [InlineData("""{"ips":"10.0.0.5/24"}""")]
    [InlineData("""{"ips":[{"address":"10.0.0.5/24","family":"ipv4"}]}""")]
    [InlineData("""{"ips":[{"address":null,"pool":"v4","family":"ipv4"}]}""")]
    [InlineData("""{"ips":[{"address":"10.0.0.5/24","pool":"v4","family":"ipv4","vlan":"x"}]}""")]
    [InlineData("""{"ips":[{"address":5,"pool":"v4","family":"ipv4"}]}""")]
    [InlineData("""{"ips":[],"routes":null}""")]
    [InlineData("""{"ips":[]} trailing""")]
    [InlineData("""[{"ips":[]}]""")]
    [InlineData("""{"ips":[""")]
    public void An_add_answer_reads_as_the_agents_context_reads_it_or_is_refused_alike(string json)
    {
        AssertSameOutcome(json, b => CniAnswerReader.Add(b), ApiJsonContext.Default.CniAddResponse, ApiJsonContext.Default.CniAddResponse);
        AssertSameOutcome(json, b => CniAnswerReader.Check(b), ApiJsonContext.Default.CniCheckResponse, ApiJsonContext.Default.CniCheckResponse);
    }

    [Theory]
    [InlineData("""{"released":[{"address":"10.0.0.5/24","pool":"v4","family":"ipv4"}]}""")]
    [InlineData("""{"released":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"released":null}""")]
    [InlineData("""{"released":{}}""")]
    public void A_del_answer_reads_as_the_agents_context_reads_it_or_is_refused_alike(string json) =>
        AssertSameOutcome(json, b => CniAnswerReader.Del(b), ApiJsonContext.Default.CniDelResponse, ApiJsonContext.Default.CniDelResponse);

    [Theory]
    [InlineData("""{"type":"pool-exhausted","title":"t","status":409,"detail":"pool 'a' is exhausted","cniCode":100}""")]
    [InlineData("""{"type":"x","title":"t","status":"409","detail":"d","cniCode":null,"instance":"/v1"}""")]
    [InlineData("""{"type":"x","title":"t","detail":"d"}""")]
    [InlineData("""{"type":"x","title":"t","status":409,"detail":null}""")]
    [InlineData("""{"type":"x","title":"t","status":4.5,"detail":"d"}""")]
    [InlineData("""<html>oops</html>""")]
    public void A_problem_reads_as_the_agents_context_reads_it_or_is_refused_alike(string json) =>
        AssertSameOutcome(json, b => CniAnswerReader.Problem(b), ApiJsonContext.Default.Problem, ApiJsonContext.Default.Problem);

    private static void AssertSameOutcome<T>(
        string json, Func<byte[], T?> byHand, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> read,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> write)
        where T : class
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        string expected = Outcome(() => JsonSerializer.Deserialize(utf8, read), write);
        string actual = Outcome(() => byHand(utf8), write);

        Assert.Equal(expected, actual);
    }

    /// <summary>What was read, written back by the agent's context, or "refused".</summary>
    private static string Outcome<T>(Func<T?> read, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> write)
        where T : class
    {
        try
        {
            T? value = read();
            return value is null ? "null" : JsonSerializer.Serialize(value, write);
        }
        catch (JsonException)
        {
            return "refused";
        }
    }

    private static bool AllPropertiesSet(object value)
    {
        foreach (System.Reflection.PropertyInfo property in value.GetType().GetProperties())
        {
            object? v = property.GetValue(value);
            bool set = v switch
            {
                null => false,
                bool b => b,
                System.Collections.ICollection c => c.Count > 0,
                _ => true,
            };
            if (!set || (v is AttachmentIdentity or PoolChoice && !AllPropertiesSet(v)))
            {
                return false;
            }
        }

        return true;
    }
}
