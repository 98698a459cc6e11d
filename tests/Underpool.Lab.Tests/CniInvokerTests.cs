using System.Text.Json;

namespace Underpool.Lab.Tests;

public sealed class CniInvokerTests
{
    [Fact]
    public async Task InvokeAsync_WhenThePluginFails_ReturnsItsErrorObject()
    {
        LabPrerequisites.EnsureCniPlugin("macvlan");
        using var state = TempDirectory.Create("host-local");
        await using var lab = await LabNetwork.CreateAsync(1, "172.20.6.0/24");
        var pod = await lab.AddPodNamespaceAsync("pod1");
        var config = ReferencePluginConfig.MacvlanWithHostLocal("172.20.6.0/24", "172.20.6.10", "172.20.6.20", state.Path)
            .Replace("\"master\":\"eth0\"", "\"master\":\"missing0\"", StringComparison.Ordinal);

        var result = await new CniInvoker().InvokeAsync(CniRequest.Add(lab.Nodes[0].Namespace, pod, "container-1", "eth0", config));

        Assert.False(result.Succeeded);
        // macvlan 1.1.1 reports a missing master as plugin code 999 without naming it.
        Assert.Equal(new CniPluginError(999, "Link not found", null), result.Error);
        Assert.Null(result.Result);
    }

    [Fact]
    public async Task InvokeAsync_Version_ReportsTheSupportedVersions()
    {
        LabPrerequisites.EnsureCniPlugin("macvlan");
        await using var lab = await LabNetwork.CreateAsync(1, "172.20.7.0/24");
        var config = """{"cniVersion":"1.0.0","name":"lab","type":"macvlan"}""";

        var result = await new CniInvoker().InvokeAsync(new CniRequest(CniVerb.Version, lab.Nodes[0].Namespace, config));

        Assert.True(result.Succeeded, result.Describe());
        var versions = Assert.NotNull(result.Result).GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString());
        Assert.Contains("1.0.0", versions);
    }

    [Fact]
    public void FindPlugin_SearchesTheDirectoriesInOrder()
    {
        using var ours = TempDirectory.Create("cni-bin");
        File.WriteAllText(ours.Combine("macvlan"), string.Empty);

        var invoker = new CniInvoker([ours.Path, LabPrerequisites.DebianCniDirectory]);

        Assert.Equal(ours.Combine("macvlan"), invoker.FindPlugin("macvlan"));
        Assert.Throws<LabUnavailableException>(() => invoker.FindPlugin("no-such-plugin"));
    }

    [Fact]
    public void Addresses_ReadsTheResultsIps()
    {
        using var document = JsonDocument.Parse("""{"ips":[{"address":"172.20.1.10/24"},{"address":"fd00::a/64"}]}""");
        var request = new CniRequest(CniVerb.Add, new NetworkNamespace("n"), "{}");
        var invocation = new CniInvocation(request, new ProcessResult("x", 0, "", "", TimeSpan.Zero), document.RootElement.Clone(), null);

        Assert.Equal(["172.20.1.10/24", "fd00::a/64"], invocation.Addresses.Select(a => a.ToString()));
    }
}
