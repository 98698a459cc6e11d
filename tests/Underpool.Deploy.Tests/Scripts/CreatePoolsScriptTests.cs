using System.Text.Json.Nodes;
using Underpool.Deploy.Tests.Support;
using Underpool.Testing;

namespace Underpool.Deploy.Tests.Scripts;

/// <summary>deploy/image/create-pools.sh, the chart's pools Job, run for real: on the ConfigMap the chart renders from
/// pool values, against a real agent, with the real underpoolctl (and a real scratch underpoold) from the build.</summary>
public sealed class CreatePoolsScriptTests : IAsyncLifetime
{
    private static readonly string Script = Path.Combine(Repository.Image, "create-pools.sh");
    private readonly TempDir _dir = new();
    private InProcessAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _agent = await InProcessAgent.StartAsync();
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Pools);
        // The ConfigMap's keys become files, as its volume mounts them.
        foreach ((string name, JsonNode? content) in rendered.Single("ConfigMap")["data"]!.AsObject())
        {
            await File.WriteAllTextAsync(Path.Combine(_dir.Path, name), (string)content!);
        }
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_pools_of_the_values_are_created_with_every_field_the_values_set()
    {
        Ran ran = await CreatePoolsAsync();

        Assert.True(ran.ExitCode == 0, ran.Describe());
        JsonNode pool = await ShowAsync("vlan20-a");
        Assert.Equal("10.20.0.0/24", (string?)pool["subnet"]);
        Assert.Equal(["10.20.0.10-10.20.0.99", "10.20.0.120"], Rendered.Strings(pool["ranges"]));
        Assert.Equal(["10.20.0.53"], Rendered.Strings(pool["exclude"]));
        Assert.Equal("10.20.0.1", (string?)pool["gateway"]);
        Assert.Equal("0.0.0.0/0 10.20.0.1;10.99.0.0/16 ", string.Join(';', pool["routes"]!.AsArray().Select(r => $"{r!["dst"]} {r["gw"]}")));
        Assert.Equal(20, (int?)pool["vlan"]);
        Assert.Equal(["node-a", "node-b"], Rendered.Strings(pool["nodes"]));
        Assert.Equal("rack in (r1,r2)", (string?)pool["nodeSelector"]);
        Assert.True((bool?)pool["default"]);
        Assert.Equal("off", (string?)pool["probe"]);
        Assert.Equal("warn", (string?)pool["checkGateway"]);
        Assert.True((bool?)(await ShowAsync("vlan20-v6"))["disabled"]);
    }

    [Fact]
    public async Task Run_again_it_succeeds_finding_each_pool_identical_and_changes_nothing()
    {
        (await CreatePoolsAsync()).EnsureSuccess();
        string before = (await CtlAsync("pool", "list", "-o", "json")).EnsureSuccess().Output;

        Ran again = await CreatePoolsAsync();

        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("pool vlan20-a exists, identical", again.Output, StringComparison.Ordinal);
        Assert.Contains("pool vlan20-v6 exists, identical", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, (await CtlAsync("pool", "list", "-o", "json")).EnsureSuccess().Output);
        Assert.False(ScratchAgentRunning(), "the scratch agent outlived the script");
    }

    [Fact]
    public async Task A_pool_of_that_name_with_another_definition_fails_the_job_showing_both_and_is_left_alone()
    {
        (await CtlAsync("pool", "create", "vlan20-a", "--subnet", "10.20.0.0/24", "--gateway", "10.20.0.254")).EnsureSuccess();

        Ran ran = await CreatePoolsAsync();

        Assert.Equal(1, ran.ExitCode);
        Assert.Contains("pool vlan20-a already exists and differs", ran.Error, StringComparison.Ordinal);
        Assert.Contains("\"gateway\": \"10.20.0.254\"", ran.Error, StringComparison.Ordinal);
        Assert.Contains("\"gateway\": \"10.20.0.1\"", ran.Error, StringComparison.Ordinal);
        Assert.Equal("10.20.0.254", (string?)(await ShowAsync("vlan20-a"))["gateway"]);
        Assert.False(ScratchAgentRunning(), "the scratch agent outlived the script");
    }

    [Fact]
    public async Task Another_refusal_fails_the_job_with_the_agents_own_message()
    {
        // Another pool holding the same addresses: the agent refuses the overlap, and no pool named vlan20-a exists.
        (await CtlAsync("pool", "create", "someone-else", "--subnet", "10.20.0.0/24")).EnsureSuccess();

        Ran ran = await CreatePoolsAsync();

        Assert.Equal(1, ran.ExitCode);
        Assert.StartsWith("create-pools: pool vlan20-a: ", ran.Error, StringComparison.Ordinal);
        Assert.Contains("someone-else", ran.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_is_never_ready_fails_the_job_once_the_wait_is_over()
    {
        Ran ran = await Run.ProgramAsync("/bin/sh", [Script, _dir.Path], Environment("/nonexistent/agent.sock", waitSeconds: 2));

        Assert.Equal(1, ran.ExitCode);
        Assert.Contains("was not ready within 2 s", ran.Error, StringComparison.Ordinal);
    }

    private Task<Ran> CreatePoolsAsync() => Run.ProgramAsync("/bin/sh", [Script, _dir.Path], Environment(_agent.Socket, 30), TimeSpan.FromSeconds(120));

    private Task<Ran> CtlAsync(params string[] args) => Run.ProgramAsync(Repository.Program("underpoolctl"), [.. args, "--socket", _agent.Socket]);

    private async Task<JsonNode> ShowAsync(string pool) =>
        JsonNode.Parse((await CtlAsync("pool", "show", pool, "-o", "json")).EnsureSuccess().Output)!["pool"]!;

    /// <summary>The programs from the build on PATH, as the image has them on its own.</summary>
    private static Dictionary<string, string?> Environment(string socket, int waitSeconds) => new()
    {
        ["PATH"] = $"{Repository.Bin}:{System.Environment.GetEnvironmentVariable("PATH")}",
        ["UNDERPOOL_SOCKET"] = socket,
        ["UNDERPOOL_WAIT_SECONDS"] = waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A scratch agent (underpoold --node scratch) still running; only this class starts them.</summary>
    private static bool ScratchAgentRunning() =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Any(f =>
        {
            try
            {
                string cmdline = File.ReadAllText(f);
                return cmdline.Contains("underpoold", StringComparison.Ordinal) && cmdline.Contains("--node\0scratch\0", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });
}
