namespace Underpool.Lab.Tests;

/// <summary>A named network namespace (one under /var/run/netns) and how to run a program inside it.</summary>
public readonly record struct NetworkNamespace(string Name)
{
    /// <summary>The path a CNI runtime passes as CNI_NETNS.</summary>
    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Runs <paramref name="program"/> inside this namespace with <c>ip netns exec</c>.</summary>
    public Task<ProcessResult> ExecAsync(
        string program,
        IEnumerable<string> arguments,
        ReadOnlyMemory<byte> standardInput = default,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(
            IpRoute2.Program,
            new[] { "netns", "exec", Name, program }.Concat(arguments),
            standardInput,
            environment,
            timeout,
            cancellationToken);

    public override string ToString() => Name;
}
