using System.ComponentModel;
using System.Diagnostics;

namespace Underpool.Lab.Tests;

/// <summary>Runs a program with an argument list (never a shell string) and captures what it printed.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="program"/> to completion. <paramref name="environment"/> adds variables to the
    /// inherited environment; a null value removes one. On timeout the whole process tree is killed and a
    /// <see cref="TimeoutException"/> is thrown; on cancellation the tree is killed too.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        ReadOnlyMemory<byte> standardInput = default,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var commandLine = FormatCommandLine(program, startInfo.ArgumentList);
        var limit = timeout ?? DefaultTimeout;
        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new LabUnavailableException($"Cannot start '{commandLine}': {e.Message}.", e);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);

        // Read both pipes from the start so a chatty program never blocks on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await WriteInputAsync(process, standardInput, deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            // A grandchild that inherited the pipes could hold them open; the deadline covers that too.
            var output = await stdout.WaitAsync(deadline.Token);
            var error = await stderr.WaitAsync(deadline.Token);
            return new ProcessResult(commandLine, process.ExitCode, output, error, stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{commandLine}' did not finish within {limit.TotalSeconds:F1} s; killed it and its children.");
        }
    }

    private static async Task WriteInputAsync(Process process, ReadOnlyMemory<byte> input, CancellationToken token)
    {
        try
        {
            if (!input.IsEmpty)
            {
                await process.StandardInput.BaseStream.WriteAsync(input, token);
                await process.StandardInput.BaseStream.FlushAsync(token);
            }
        }
        catch (IOException)
        {
            // The program exited without reading all of its input; its exit code tells the rest.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same as above: closing a pipe whose reader is gone.
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the deadline and the kill.
        }
    }

    private static string FormatCommandLine(string program, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(program).Select(a => a.Length == 0 || a.Contains(' ') ? $"\"{a}\"" : a));
}
