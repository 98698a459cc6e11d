using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Maps an agent problem to one stderr line and the exit code scripts branch on.</summary>
internal static class ProblemReport
{
    public static int ExitCodeFor(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Type == ProblemKinds.AgentUnreachable.Type)
        {
            return ExitCodes.Unreachable;
        }

        return problem.Status is >= 400 and < 500 ? ExitCodes.Refused : ExitCodes.AgentFailure;
    }

    public static int Write(Problem problem, TextWriter error, Func<Problem, string>? explain = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(error);
        string detail = explain?.Invoke(problem) ?? problem.Detail;
        if (string.IsNullOrWhiteSpace(detail))
        {
            detail = string.IsNullOrWhiteSpace(problem.Title) ? $"the agent answered {problem.Status}" : problem.Title;
        }

        error.WriteLine($"underpoolctl: {OneLine.Of(detail)}");
        return ExitCodeFor(problem);
    }
}
