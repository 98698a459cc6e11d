using System.Text;

namespace Underpool.Lab.Tests;

/// <summary>The published plugin's stdout, where runtimes and scripts read its result.</summary>
public sealed class PluginOutputTests
{
    [Fact]
    public async Task The_plugins_answer_lands_after_what_the_caller_already_wrote_to_the_same_file()
    {
        // A shell that sends stdout to a file shares one file offset with the plugin. A writer that keeps its own
        // offset (FileStream on descriptor 1 uses pwrite) puts the answer at the start of the file or under the
        // shell's next line; write(2) appends at the shared offset as Console did.
        string file = Path.Combine(Path.GetTempPath(), $"upl-plugin-out-{Guid.NewGuid():N}.txt");
        try
        {
            var environment = new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION", ["UPL_OUT"] = file };
            ProcessResult run = await ProcessRunner.RunAsync(
                "sh",
                ["-c", "{ echo before; \"$0\" </dev/null; echo; echo after; } >\"$UPL_OUT\"", UnderpoolBinaries.Plugin],
                environment: environment);

            Assert.True(run.Succeeded, run.Describe());
            string[] lines = (await File.ReadAllTextAsync(file, Encoding.UTF8)).Split('\n');
            Assert.Equal("before", lines[0]);
            Assert.StartsWith("{\"cniVersion\":", lines[1], StringComparison.Ordinal);
            Assert.Equal(["after", string.Empty], lines[2..]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
