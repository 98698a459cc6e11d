using System.Diagnostics;

namespace Underpool.Deploy.Tests.Support;

/// <summary>How a program ended and what it printed.</summary>
internal sealed record Ran(string CommandLine, int ExitCode, string Output, string Error)
{
    public Ran EnsureSuccess() => ExitCode == 0 ? this : throw new InvalidOperationException(Describe());

    public string Describe() => $"'{CommandLine}' exited {ExitCode}\nstdout: {Output.TrimEnd()}\nstderr: {Error.TrimEnd()}";
}

/// <summary>Runs a program with an argument list (never a shell string), with a deadline after which its whole
/// process tree is killed.</summary>
internal static class Run
{
    public static async Task<Ran> ProgramAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        string commandLine = string.Join(' ', start.ArgumentList.Prepend(program));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new Ran(commandLine, process.ExitCode, await output.WaitAsync(deadline.Token), await error.WaitAsync(deadline.Token));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s: killed it");
        }
    }
}
