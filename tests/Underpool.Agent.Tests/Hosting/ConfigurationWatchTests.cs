using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Underpool.Testing;

namespace Underpool.Agent.Tests;

/// <summary>The agent reads no configuration files, so it must not watch for them: the host's default reload of
/// appsettings.json watches the working directory recursively, which under systemd is the whole file system (26,166
/// inotify watches for one agent, and a wake-up for every file written on the host).</summary>
public sealed class ConfigurationWatchTests
{
    [Fact]
    public async Task The_agent_watches_no_configuration_file_for_changes()
    {
        await using InProcessAgent agent = await InProcessAgent.StartAsync();

        var configuration = (IConfigurationRoot)agent.Services.GetRequiredService<IConfiguration>();
        IEnumerable<string> watched = configuration.Providers.OfType<FileConfigurationProvider>()
            .Where(p => p.Source.ReloadOnChange)
            .Select(p => p.Source.Path ?? "?");

        Assert.Empty(watched);
    }
}
