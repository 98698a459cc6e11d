using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Underpool.Deploy.Tests.Support;

namespace Underpool.Deploy.Tests.Image;

/// <summary>No image can be built on these machines (no daemon, no base images): what can be checked is that the
/// Dockerfile copies what exists and installs every path the chart runs.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string DockerfilePath = Path.Combine(Repository.Image, "Dockerfile");

    [Fact]
    public async Task Every_file_copied_from_the_repository_exists_and_is_executable()
    {
        foreach (Match copy in CopyLine().Matches(await File.ReadAllTextAsync(DockerfilePath)).Where(m => !m.Groups["from"].Success))
        {
            string[] parts = copy.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (string source in parts[..^1].Where(s => s != "."))
            {
                string path = Path.Combine(Repository.Root, source);
                Assert.True(File.Exists(path), $"COPY {source}: no such file in the repository");
                Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{source} is not executable");
            }
        }
    }

    [Fact]
    public async Task The_programs_copied_from_the_build_stage_are_the_names_its_publish_commands_produce()
    {
        string dockerfile = await File.ReadAllTextAsync(DockerfilePath);
        // dotnet publish src/Underpool.Plugin ... -o /out/plugin: the same projects scripts/build.sh publishes into
        // out/publish/plugin, cli and agent, so the file names are checked against what the build really produced.
        Dictionary<string, string> published = Publish().Matches(dockerfile).ToDictionary(m => m.Groups["out"].Value, m => m.Groups["project"].Value);
        Assert.Equal(["/out/agent", "/out/cli", "/out/plugin"], published.Keys.Order());

        foreach (Match copy in CopyLine().Matches(dockerfile).Where(m => m.Groups["from"].Success))
        {
            string source = copy.Groups["args"].Value.Split(' ')[0];
            string outDir = published.Keys.Single(o => source.StartsWith(o + "/", StringComparison.Ordinal));
            string built = Path.Combine(Repository.Root, "out", "publish", outDir["/out/".Length..], source[(outDir.Length + 1)..]);
            Assert.True(source.EndsWith('/') ? Directory.Exists(built) : File.Exists(built), $"COPY --from=build {source}: scripts/build.sh produced no {built}");
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets.Names), MemberType = typeof(ValueSets))]
    public async Task Every_program_the_chart_runs_is_installed_by_the_Dockerfile(string values)
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Named(values));
        HashSet<string> installed = Installed(await File.ReadAllTextAsync(DockerfilePath));

        var run = new List<string>();
        foreach (JsonObject obj in rendered.OfKind("DaemonSet").Concat(rendered.OfKind("Job")))
        {
            JsonObject spec = obj["spec"]!["template"]!["spec"]!.AsObject();
            foreach (JsonNode? container in spec["containers"]!.AsArray().Concat(spec["initContainers"]?.AsArray() ?? []))
            {
                run.Add(Rendered.Strings(container!["command"]).First());
                foreach (string probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                {
                    if (container[probe] is { } p)
                    {
                        run.AddRange(Rendered.Strings(p["exec"]!["command"]).Where(a => a.StartsWith('/')).Select(a => a.Split(' ')[0]));
                    }
                }
            }
        }

        // /bin/sh comes with the base image; everything else must be put there by the Dockerfile.
        string[] missing = run.Distinct().Where(p => p != "/bin/sh" && !installed.Contains(p)).ToArray();
        Assert.True(missing.Length == 0, "run by the chart, not installed by the Dockerfile: " + string.Join(", ", missing));
        Assert.Contains("/usr/local/bin/underpoold", run);
    }

    [Fact]
    public async Task The_entrypoint_is_the_agent_and_the_runtime_base_carries_ASP_NET_Core()
    {
        string dockerfile = await File.ReadAllTextAsync(DockerfilePath);

        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/underpoold\"]", dockerfile, StringComparison.Ordinal);
        // The agent uses Kestrel (Microsoft.AspNetCore.App): runtime-deps or runtime alone could not start it.
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:\$\{DOTNET_VERSION\}\s*$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_VERSION\} AS build\s*$", dockerfile);
        string agent = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "src", "Underpool.Agent", "Underpool.Agent.csproj"));
        Assert.Contains("Microsoft.AspNetCore.App", agent, StringComparison.Ordinal);
        // underpoold is linked to the agent's apphost, which the agent's publish directory holds.
        Match link = Symlink().Match(dockerfile);
        Assert.Equal("/usr/local/bin/underpoold", link.Groups["link"].Value);
        Assert.Matches(@"(?m)^COPY --from=build /out/agent/ /usr/local/lib/underpool/agent/\s*$", dockerfile);
        Assert.Equal("/usr/local/lib/underpool/agent/underpoold", link.Groups["target"].Value);
        Assert.True(File.Exists(Path.Combine(Repository.Root, "out", "publish", "agent", "underpoold")), "the agent's publish holds no underpoold apphost");
    }

    /// <summary>Paths the final stage creates: COPY destinations (a directory destination keeps the source's name) and
    /// symbolic links.</summary>
    private static HashSet<string> Installed(string dockerfile)
    {
        string final = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match copy in CopyLine().Matches(final))
        {
            string[] parts = copy.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string dest = parts[^1];
            foreach (string source in parts[..^1].Where(s => !s.EndsWith('/'))) // a directory's contents: not one path
            {
                paths.Add(dest.EndsWith('/') ? dest + Path.GetFileName(source) : dest);
            }
        }

        foreach (Match link in Symlink().Matches(final))
        {
            paths.Add(link.Groups["link"].Value);
        }

        return paths;
    }

    [GeneratedRegex(@"(?m)^COPY (?<from>--from=build )?(?<args>.+?)\s*$")]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"dotnet publish (?<project>\S+) .*?-o (?<out>/out/\w+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"ln -s (?<target>\S+) (?<link>\S+)")]
    private static partial Regex Symlink();
}
