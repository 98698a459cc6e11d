using Underpool.Testing;

namespace Underpool.Plugin.Tests;

/// <summary>An ADD answer from whatever listens on the socket is checked before the runtime takes it as the pod's
/// addresses: one that does not carry what was asked for is code 11 ("the agent's answer is invalid"), never a success.</summary>
public sealed class AgentAnswerTests
{
    private const string V4 = """{"address":"172.20.1.5/24","gateway":"172.20.1.1","pool":"v4","family":"ipv4"}""";
    private const string V6 = """{"address":"fd00:20:1::5/64","pool":"v6","family":"ipv6"}""";

    [Theory]
    [InlineData("""{"ips":[]}""", "v4", "", "a success without any address")]
    [InlineData("""{"ips":[]}""", "", "", "a success without any address")]
    [InlineData("""{"ips":[null]}""", "v4", "", "ips[0] is null")]
    [InlineData($$"""{"ips":[{{V4}}]}""", "v4", "v6", "holds no ipv6 address, though the network config names ipv6 pools")]
    [InlineData($$"""{"ips":[{{V6}}]}""", "v4", "v6", "holds no ipv4 address")]
    [InlineData($$"""{"ips":[{{V4}},{{V6}}]}""", "v4", "", "holds an ipv6 address, though the network config names no ipv6 pool")]
    [InlineData("""{"ips":[{"address":"172.20.1.5","pool":"v4","family":"ipv4"}]}""", "v4", "", "ips[0].address '172.20.1.5' is not an address with its prefix")]
    [InlineData("""{"ips":[{"address":"172.20.1.5/33","pool":"v4","family":"ipv4"}]}""", "v4", "", "ips[0].address '172.20.1.5/33'")]
    [InlineData("""{"ips":[{"address":"172.20.1/24","pool":"v4","family":"ipv4"}]}""", "v4", "", "ips[0].address '172.20.1/24'")]
    [InlineData("""{"ips":[{"address":"banana/24","pool":"v4","family":"ipv4"}]}""", "v4", "", "ips[0].address 'banana/24'")]
    [InlineData("""{"ips":[{"address":"172.20.1.5/24","pool":"v4","family":"ipv6"}]}""", "v4", "", "ips[0].family is 'ipv6' but its address")]
    [InlineData("""{"ips":[{"address":"172.20.1.5/24","gateway":"fe80::1","pool":"v4","family":"ipv4"}]}""", "v4", "", "ips[0].gateway 'fe80::1' is not an ipv4 address")]
    [InlineData($$"""{"ips":[{{V4}}],"routes":[{"dst":"0.0.0.0/0","gw":"fe80::1"}]}""", "v4", "", "routes[0].gw 'fe80::1' is not an ipv4 address")]
    [InlineData($$"""{"ips":[{{V4}}],"routes":[{"dst":"default"}]}""", "v4", "", "routes[0].dst 'default'")]
    [InlineData($$"""{"ips":[{{V4}}],"routes":[null]}""", "v4", "", "routes[0] is null")]
    [InlineData("""{"ips":"172.20.1.5/24"}""", "v4", "", "not the expected JSON")]
    [InlineData("""{"routes":[]}""", "v4", "", "not the expected JSON")]
    public async Task An_add_answer_that_is_not_what_was_asked_for_is_code_11_never_a_success(string answer, string v4, string v6, string why)
    {
        await using var agent = new ScriptedServer(_ => ScriptedServer.Json(200, answer));

        PluginOutcome add = await new PluginRunner(agent.SocketPath).AddAsync(v4: Names(v4), v6: Names(v6));

        Assert.Equal(11, add.ErrorCode);
        Assert.StartsWith("the agent's answer is invalid: ", add.Msg, StringComparison.Ordinal);
        Assert.Contains(why, add.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($$"""{"ips":[{{V4}},{{V6}}],"routes":[{"dst":"0.0.0.0/0","gw":"172.20.1.254"},{"dst":"::/0"}]}""", "v4", "v6")]
    [InlineData($$"""{"ips":[{{V6}}]}""", "", "")]
    [InlineData($$"""{"ips":[{{V6}}]}""", "", "v6")]
    public async Task An_add_answer_with_an_address_of_each_family_asked_for_is_printed(string answer, string v4, string v6)
    {
        await using var agent = new ScriptedServer(_ => ScriptedServer.Json(200, answer));

        PluginOutcome add = await new PluginRunner(agent.SocketPath).AddAsync(v4: Names(v4), v6: Names(v6));

        Assert.True(add.AssertPrinted().GetProperty("ips").GetArrayLength() > 0);
    }

    // PluginRunner.AddAsync names the v4 pool unless told otherwise: an empty array names none.
    private static string[] Names(string name) => name.Length == 0 ? [] : [name];
}
