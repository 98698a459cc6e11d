using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Underpool.Testing;

/// <summary>A logger provider that keeps every entry in memory, for tests that assert what the agent logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    /// <summary>The messages logged at <paramref name="level"/> that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> At(LogLevel level, string text) =>
        _entries.Where(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal)).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
