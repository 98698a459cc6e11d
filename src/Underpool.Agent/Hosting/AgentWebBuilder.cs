using Microsoft.AspNetCore.Builder;

namespace Underpool.Agent.Hosting;

/// <summary>The builder options of the agent's HTTP servers (the API socket, the metrics listener).</summary>
internal static class AgentWebBuilder
{
    /// <summary>A builder that does not watch its content root for configuration changes.</summary>
    /// <remarks>By default the host reloads appsettings.json when it changes, and to notice that it watches its content
    /// root, the working directory, recursively. The agent reads no appsettings, but under systemd that directory is /:
    /// one agent held 26,166 inotify watches, and every file written anywhere on the host woke its watcher thread (8.8 %
    /// of ten agents' CPU during a 1,000-ADD run whose store was under the working directory; docs/benchmarks.md).</remarks>
    public static WebApplicationBuilder Create() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
