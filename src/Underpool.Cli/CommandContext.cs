using System.CommandLine;
using System.Text.Json.Serialization.Metadata;
using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Cli.Output;

namespace Underpool.Cli;

/// <summary>What one command action needs: where to write, in which format, and the agent to ask.</summary>
internal sealed class CommandContext
{
    /// <summary>Every call is one short request to a local daemon: five seconds without an answer means it is stuck.</summary>
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(5);

    private CommandContext(TextWriter output, TextWriter error, OutputFormat format, string socket)
    {
        Out = output;
        Error = error;
        Format = format;
        Socket = socket;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public OutputFormat Format { get; }

    public string Socket { get; }

    public static CommandContext From(ParseResult parse, GlobalOptions global) => new(
        parse.InvocationConfiguration.Output,
        parse.InvocationConfiguration.Error,
        parse.GetValue(global.Output),
        parse.GetValue(global.Socket) ?? ApiRoutes.DefaultSocket);

    /// <summary>Asks the agent once; a problem becomes one stderr line and its exit code, an answer goes to <paramref name="onAnswer"/>.</summary>
    public int CallAgent<T>(Func<AgentClient, ApiResult<T>> call, Func<T, int> onAnswer, Func<Problem, string>? explain = null)
        where T : class
    {
        ApiResult<T> result = call(new AgentClient(Socket, AgentTimeout));
        return result.IsSuccess
            ? onAnswer(result.Value)
            : ProblemReport.Write(result.Problem, Error, explain);
    }

    /// <summary>The answer as the agent's JSON for -o json, else as the command's table.</summary>
    public int Print<T>(T value, JsonTypeInfo<T> json, Action<T, TextWriter> table)
    {
        if (Format == OutputFormat.Json)
        {
            JsonOutput.Write(Out, value, json);
        }
        else
        {
            table(value, Out);
        }

        return ExitCodes.Success;
    }

    /// <summary>A mistake in the arguments that the parser cannot see (options that go together): one line, exit 2.</summary>
    public int UsageError(string message, string command)
    {
        Error.WriteLine($"underpoolctl: {message} (see 'underpoolctl {command} --help')");
        return ExitCodes.Usage;
    }

    public void Warn(IEnumerable<string> warnings)
    {
        foreach (string warning in warnings)
        {
            Error.WriteLine($"underpoolctl: warning: {OneLine.Of(warning)}");
        }
    }
}
