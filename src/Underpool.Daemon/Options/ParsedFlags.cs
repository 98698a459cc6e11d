namespace Underpool.Daemon.Options;

/// <summary>The command line read: the options, or every error found in it; or a request for help or the version.</summary>
internal sealed record ParsedFlags(DaemonOptions? Options, IReadOnlyList<string> Errors, bool WantsHelp = false, bool WantsVersion = false);
