using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>How one exec of the plugin ended.</summary>
/// <param name="ExitCode">As .NET reports it: 128 + N for a process killed by signal N.</param>
internal sealed record PluginExit(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut);

/// <summary>Execs the published plugin as a runtime does: a clean environment of exactly the given variables, stdin
/// written and closed, stdout and stderr captured, killed past a deadline.</summary>
internal static class PluginProcess
{
    public static async Task<PluginExit> RunAsync(string plugin, IReadOnlyDictionary<string, byte[]?> environment, byte[] stdin, TimeSpan limit)
    {
        ProcessStartInfo start = StartInfo(plugin, environment);
        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        process.Start();
        Task<byte[]> stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It stopped reading early (it exited): what it printed still tells what happened.
        }

        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new PluginExit(-1, await stdout, await stderr, clock.Elapsed, TimedOut: true);
        }

        return new PluginExit(process.ExitCode, await stdout, await stderr, clock.Elapsed, TimedOut: false);
    }

    /// <summary>Execs the plugin directly; when a value is not UTF-8 (which .NET cannot put in an environment), through
    /// /bin/sh, whose printf writes the bytes as they are, then exec.</summary>
    private static ProcessStartInfo StartInfo(string plugin, IReadOnlyDictionary<string, byte[]?> environment)
    {
        bool raw = environment.Values.Any(v => v is not null && !Utf8.IsValid(v));
        var start = new ProcessStartInfo(raw ? "/bin/sh" : plugin)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        if (!raw)
        {
            foreach ((string name, byte[]? value) in environment)
            {
                if (value is not null)
                {
                    start.Environment[name] = Encoding.UTF8.GetString(value);
                }
            }

            return start;
        }

        var script = new StringBuilder();
        foreach ((string name, byte[]? value) in environment)
        {
            if (value is not null)
            {
                // Bytes printf would read as syntax, and every byte that is not printable ASCII, as octal escapes (the
                // rest as is, which keeps a long value within one argument's limit), between a 'y' (so printf never
                // reads a leading '-' as an option) and an 'x' that $(...) cannot strip, so trailing newlines survive.
                script.Append("v=$(printf 'y");
                foreach (byte b in value)
                {
                    if (b is >= 0x20 and < 0x7f and not ((byte)'\'' or (byte)'\\' or (byte)'%'))
                    {
                        script.Append((char)b);
                    }
                    else
                    {
                        script.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }
                }

                script.Append(CultureInfo.InvariantCulture, $"x'); v=\"${{v#y}}\"; export {name}=\"${{v%x}}\"\n");
            }
        }

        script.Append("exec \"$1\"\n");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script.ToString());
        start.ArgumentList.Add("underpool-fuzz");
        start.ArgumentList.Add(plugin);
        return start;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
