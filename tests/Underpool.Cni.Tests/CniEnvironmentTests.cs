namespace Underpool.Cni.Tests;

public sealed class CniEnvironmentTests
{
    private static Dictionary<string, string?> Full(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "3f2a9c0d1e",
        ["CNI_NETNS"] = "/var/run/netns/pod1",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin:/usr/lib/cni",
    };

    private static CniEnvironment Valid(Dictionary<string, string?> variables)
    {
        CniParseResult<CniEnvironment> result = CniEnvironment.Parse(variables);
        Assert.True(result.IsSuccess, result.Error?.Msg);
        return result.Value;
    }

    private static CniError Invalid(Dictionary<string, string?> variables)
    {
        CniParseResult<CniEnvironment> result = CniEnvironment.Parse(variables);
        Assert.False(result.IsSuccess);
        Assert.Equal(CniErrorCode.InvalidEnvironment, result.Error.Code);
        return result.Error;
    }

    [Fact]
    public void Add_with_every_variable_reads_them_all()
    {
        CniEnvironment env = Valid(Full("ADD"));

        Assert.Equal(CniCommand.Add, env.Command);
        Assert.Equal("3f2a9c0d1e", env.ContainerId);
        Assert.Equal("/var/run/netns/pod1", env.NetNs);
        Assert.Equal("eth0", env.IfName);
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], env.Paths);
    }

    [Theory]
    [InlineData("ADD", "CNI_CONTAINERID")]
    [InlineData("ADD", "CNI_NETNS")]
    [InlineData("ADD", "CNI_IFNAME")]
    [InlineData("CHECK", "CNI_CONTAINERID")]
    [InlineData("CHECK", "CNI_NETNS")]
    [InlineData("CHECK", "CNI_IFNAME")]
    [InlineData("DEL", "CNI_CONTAINERID")]
    [InlineData("DEL", "CNI_IFNAME")]
    public void A_missing_required_variable_is_error_4_naming_it(string command, string variable)
    {
        Dictionary<string, string?> variables = Full(command);
        variables.Remove(variable);

        CniError error = Invalid(variables);

        Assert.Contains($"{variable} is not set", error.Msg, StringComparison.Ordinal);
        Assert.Contains($"{command} needs", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_variable_counts_as_missing()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_IFNAME"] = "";

        Assert.Contains("CNI_IFNAME is not set", Invalid(variables).Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_missing_variables_are_named_together()
    {
        CniError error = Invalid(new() { ["CNI_COMMAND"] = "ADD" });

        Assert.Contains("CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME are not set", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Del_without_netns_is_valid()
    {
        Dictionary<string, string?> variables = Full("DEL");
        variables.Remove("CNI_NETNS");

        CniEnvironment env = Valid(variables);

        Assert.Equal(CniCommand.Del, env.Command);
        Assert.Null(env.NetNs);
    }

    [Theory]
    [InlineData("VERSION", CniCommand.Version)]
    [InlineData("STATUS", CniCommand.Status)]
    [InlineData("GC", CniCommand.Gc)]
    public void Commands_without_a_container_need_only_CNI_COMMAND(string command, CniCommand expected)
    {
        CniEnvironment env = Valid(new() { ["CNI_COMMAND"] = command });

        Assert.Equal(expected, env.Command);
        Assert.Null(env.ContainerId);
        Assert.Empty(env.Paths);
    }

    [Fact]
    public void Missing_CNI_PATH_is_accepted()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables.Remove("CNI_PATH");

        Assert.Empty(Valid(variables).Paths);
    }

    [Fact]
    public void Missing_CNI_COMMAND_is_error_4_listing_the_commands()
    {
        CniError error = Invalid([]);

        Assert.Contains("CNI_COMMAND is not set", error.Msg, StringComparison.Ordinal);
        Assert.Contains("ADD, DEL, CHECK, VERSION, STATUS or GC", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ATTACH")]
    [InlineData("add")]
    public void Unknown_CNI_COMMAND_is_error_4_showing_the_value_and_the_valid_ones(string command)
    {
        CniError error = Invalid(Full(command));

        Assert.Contains($"\"{command}\"", error.Msg, StringComparison.Ordinal);
        Assert.Contains("ADD, DEL, CHECK, VERSION, STATUS or GC", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-leading-dash", '-')]
    [InlineData("_x", '_')]
    [InlineData("abc/def", '/')]
    [InlineData("abc def", ' ')]
    [InlineData("ab:c", ':')]
    public void Bad_container_id_is_error_4_showing_the_value_and_the_bad_character(string containerId, char bad)
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_CONTAINERID"] = containerId;

        CniError error = Invalid(variables);

        Assert.Contains($"CNI_CONTAINERID \"{containerId}\"", error.Msg, StringComparison.Ordinal);
        Assert.Contains($"'{bad}'", error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b_c-9")]
    [InlineData("0")]
    public void Container_ids_per_the_spec_are_accepted(string containerId)
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_CONTAINERID"] = containerId;

        Assert.Equal(containerId, Valid(variables).ContainerId);
    }

    [Theory]
    [InlineData("averyveryverylongname", "at most 15")]
    [InlineData(".", "reserved")]
    [InlineData("..", "reserved")]
    [InlineData("eth/0", "'/'")]
    [InlineData("eth:0", "':'")]
    [InlineData("eth 0", "whitespace")]
    [InlineData("eth\t0", "whitespace")]
    public void Bad_ifname_is_error_4_saying_why(string ifName, string why)
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_IFNAME"] = ifName;

        CniError error = Invalid(variables);

        Assert.Contains($"CNI_IFNAME \"{ifName}\"", error.Msg, StringComparison.Ordinal);
        Assert.Contains(why, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ifname_of_exactly_15_characters_is_accepted()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_IFNAME"] = "abcdefghijklmno";

        Assert.Equal("abcdefghijklmno", Valid(variables).IfName);
    }

    [Fact]
    public void CNI_ARGS_are_parsed_into_the_environment()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default";

        Assert.Equal("default", Valid(variables).Args.PodNamespace);
    }

    [Fact]
    public void Malformed_CNI_ARGS_is_error_4()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_ARGS"] = "IgnoreUnknown";

        Assert.Contains("CNI_ARGS", Invalid(variables).Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VERSION")]
    [InlineData("STATUS")]
    [InlineData("GC")]
    public void Verbs_without_a_container_ignore_a_malformed_CNI_ARGS(string command)
    {
        var variables = new Dictionary<string, string?> { ["CNI_COMMAND"] = command, ["CNI_ARGS"] = "IgnoreUnknown" };

        Assert.Empty(Valid(variables).Args.Pairs);
    }

    [Theory]
    [InlineData("ADD", "relative/netns", "is not an absolute path")]
    [InlineData("ADD", "/var/run/netns/a\u0001b", "control character U+0001 at position 17")]
    [InlineData("CHECK", "/var/run/netns/a\nb", "control character U+000A")]
    [InlineData("ADD", "/var/run/netns/\uFFFD", "is not UTF-8 text")]
    public void A_netns_path_the_agent_could_not_find_again_is_error_4_saying_why(string command, string netNs, string why)
    {
        Dictionary<string, string?> variables = Full(command);
        variables["CNI_NETNS"] = netNs;

        CniError error = Invalid(variables);

        Assert.StartsWith("CNI_NETNS \"", error.Msg, StringComparison.Ordinal);
        Assert.Contains(why, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_netns_path_longer_than_path_max_is_error_4_and_shown_shortened()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_NETNS"] = "/" + new string('p', CniNames.MaxNetNsPathBytes);

        CniError error = Invalid(variables);

        Assert.Contains($"is {CniNames.MaxNetNsPathBytes + 1} bytes long", error.Msg, StringComparison.Ordinal);
        Assert.True(error.Msg.Length < 300, error.Msg);
    }

    [Fact]
    public void Del_with_an_unusable_netns_drops_it_instead_of_failing()
    {
        // Refusing the DEL would leave the addresses held while the runtime retries it forever.
        Dictionary<string, string?> variables = Full("DEL");
        variables["CNI_NETNS"] = "relative/netns";

        Assert.Null(Valid(variables).NetNs);
    }

    [Fact]
    public void A_container_id_longer_than_255_characters_is_error_4()
    {
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_CONTAINERID"] = new string('a', CniNames.MaxNameLength + 1);

        Assert.Contains("is 256 characters long; at most 255", Invalid(variables).Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_id_with_bytes_that_were_not_utf8_is_error_4_naming_the_character_by_code_point()
    {
        // .NET reads an environment value that is not UTF-8 with U+FFFD in place of each bad byte.
        Dictionary<string, string?> variables = Full("ADD");
        variables["CNI_CONTAINERID"] = "abc\uFFFD";

        Assert.Contains("the character U+FFFD at position 4", Invalid(variables).Msg, StringComparison.Ordinal);
    }
}
