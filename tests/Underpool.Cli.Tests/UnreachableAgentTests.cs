namespace Underpool.Cli.Tests;

public sealed class UnreachableAgentTests
{
    [Theory]
    [InlineData("pool", "list")]
    [InlineData("status")]
    [InlineData("reserved", "add", "10.0.0.5")]
    public async Task A_socket_with_no_listener_exits_3_with_one_line_naming_the_socket(params string[] command)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"upctl-none-{Guid.NewGuid():N}.sock");

        CliRun run = await CliRun.RunAsync([.. command, "--socket", socket]);

        Assert.Equal(3, run.ExitCode);
        Assert.Empty(run.Out);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("underpoolctl: ", line, StringComparison.Ordinal);
        Assert.Contains(socket, line, StringComparison.Ordinal);
        Assert.Contains("underpoold", line, StringComparison.Ordinal);
    }
}
