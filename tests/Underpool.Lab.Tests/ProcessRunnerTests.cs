using System.Diagnostics;
using System.Text;

namespace Underpool.Lab.Tests;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task RunAsync_PassesStdinAndArgumentsVerbatim()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "cat; echo \" $1\"", "sh", "two words; $(not run)"], Encoding.UTF8.GetBytes("in"));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal("in two words; $(not run)\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_AddsAndRemovesEnvironmentVariables()
    {
        var environment = new Dictionary<string, string?> { ["UPL_ADDED"] = "yes", ["HOME"] = null };

        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo \"$UPL_ADDED ${HOME-unset}\""], environment: environment);

        Assert.Equal("yes unset\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_ReportsExitCodeAndStderr()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo oops >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("oops\n", result.StandardError);
        Assert.Throws<InvalidOperationException>(() => result.EnsureSuccess());
    }

    [Fact]
    public async Task RunAsync_PastItsTimeout_KillsTheProcessTreeAndThrows()
    {
        var stopwatch = Stopwatch.StartNew();

        // The child sleep holds the output pipes too: the kill must take the whole tree.
        await Assert.ThrowsAsync<TimeoutException>(() =>
            ProcessRunner.RunAsync("sh", ["-c", "sleep 30 & wait"], timeout: TimeSpan.FromMilliseconds(300)));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_WhenCancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ProcessRunner.RunAsync("sleep", ["30"], cancellationToken: cancellation.Token));
    }
}
