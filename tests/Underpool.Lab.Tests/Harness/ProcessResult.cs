namespace Underpool.Lab.Tests;

/// <summary>What a finished program printed and how it exited.</summary>
public sealed record ProcessResult(
    string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws with the command line and both outputs when it failed.</summary>
    public ProcessResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"{Describe()}");

    public string Describe() =>
        $"'{CommandLine}' exited {ExitCode} after {Duration.TotalMilliseconds:F0} ms" +
        $"\nstdout: {StandardOutput.TrimEnd()}\nstderr: {StandardError.TrimEnd()}";
}
