using System.CommandLine;
using System.CommandLine.Invocation;

namespace Underpool.Cli;

/// <summary>Runs underpoolctl in-process: parse, report usage errors, invoke, map every failure to an exit code.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        RootCommand root = CommandTree.Build();
        ParseResult parse = root.Parse(args);

        // Our own one-line report instead of System.CommandLine's (colours, full help, exit 1): usage errors exit 2.
        if (parse.Action is ParseErrorAction || (parse.Errors.Count > 0 && parse.Action is null))
        {
            await stderr.WriteLineAsync(UsageErrors.Describe(parse)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("underpoolctl: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // A bug or broken infrastructure: one line for people, the whole trace only when asked for.
            bool debug = Environment.GetEnvironmentVariable("UNDERPOOL_DEBUG") == "1";
            await stderr.WriteLineAsync(debug ? $"underpoolctl: {e}" : $"underpoolctl: {OneLine.Of(e.Message)}").ConfigureAwait(false);
            return ExitCodes.AgentFailure;
        }
    }
}
