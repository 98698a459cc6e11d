extern alias fullclient;

using System.Text.Json;
using System.Text.Json.Nodes;
using Underpool.Api.Contracts;
using Underpool.Core.Net;
using Underpool.Deploy.Tests.Support;
using Underpool.Kubernetes.Annotations;
using Underpool.Kubernetes.Lifecycle;

namespace Underpool.Deploy.Tests.Examples;

/// <summary>deploy/kubernetes/examples: valid objects, netconfs that name the underpool IPAM, and annotations and
/// cni-args that the agent's own resolver reads as the examples say, against the example pools.</summary>
public sealed class MultusExampleTests
{
    private const string Networks = "k8s.v1.cni.cncf.io/networks";

    public static TheoryData<string> Files() => new(Directory.GetFiles(Repository.Examples, "*.yaml").Select(Path.GetFileName)
        .Where(f => f != "pools-values.yaml").Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_built_in_object_reads_strictly_as_its_kind(string file)
    {
        string text = await File.ReadAllTextAsync(Path.Combine(Repository.Examples, file));
        string builtIn = string.Join("\n---\n", text.Split("\n---\n").Where(d => !d.Contains("kind: NetworkAttachmentDefinition", StringComparison.Ordinal)));

        // NetworkAttachmentDefinition is Multus' custom resource: the client has no model of it (checked below instead).
        List<object> objects = builtIn.Contains("kind:", StringComparison.Ordinal) ? fullclient::k8s.KubernetesYaml.LoadAllFromString(builtIn, strict: true) : [];

        Assert.Equal(Yaml.Documents(builtIn).Count, objects.Count);
    }

    [Theory]
    [InlineData("nad-macvlan.yaml", "macvlan", true)]
    [InlineData("nad-sriov.yaml", "sriov", false)]
    public async Task Each_network_attachment_runs_its_main_plugin_with_underpool_as_the_IPAM(string file, string type, bool ipsCapability)
    {
        JsonObject nad = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Repository.Examples, file)));
        JsonObject config = JsonNode.Parse((string)nad["spec"]!["config"]!)!.AsObject();

        JsonObject plugin = config["plugins"]?.AsArray()[0]!.AsObject() ?? config;
        Assert.Equal("NetworkAttachmentDefinition", (string?)nad["kind"]);
        Assert.Equal((string?)nad["metadata"]!["name"], (string?)config["name"]);
        Assert.Equal(type, (string?)plugin["type"]);
        Assert.Equal("underpool", (string?)plugin["ipam"]!["type"]);
        Assert.Equal(ipsCapability, (bool?)plugin["capabilities"]?["ips"] == true);
        foreach (string pool in plugin["ipam"]!["pools"]!.AsObject().SelectMany(f => Rendered.Strings(f.Value)))
        {
            Assert.Contains(pool, (await ExamplePoolsAsync()).Keys);
        }
    }

    [Theory]
    [InlineData("pod-pools-annotation.yaml", "pool-b", "net1", "vlan20-b", null, "Pod")]
    [InlineData("pod-pools-annotation.yaml", "pool-by-interface", "net1", "vlan20-b,vlan20-a", "vlan20-v6", "PodByInterface")]
    [InlineData("pod-cni-args.yaml", "cni-args", "net1", "vlan20-b", null, "Pod")]
    [InlineData("pod-two-nics.yaml", "two-nics", "net1", "vlan20-a", "vlan20-v6", "PodByInterface")]
    [InlineData("pod-two-nics.yaml", "two-nics", "net2", "storage", null, "PodByInterface")]
    public async Task Each_pods_interface_gets_the_pools_its_example_says(string file, string pod, string ifName, string ipv4, string? ipv6, string source)
    {
        Checked<PodIntent> intent = await ResolveAsync(file, pod, ifName);

        Assert.True(intent.IsValid, intent.Problem?.ToString());
        Assert.Equal(ipv4.Split(','), intent.Value!.Pools.Ipv4);
        Assert.Equal(ipv6?.Split(',') ?? [], intent.Value.Pools.Ipv6);
        Assert.Equal(source, intent.Value.PoolSource.ToString());
    }

    [Fact]
    public async Task The_two_NIC_pod_asks_for_its_storage_address_on_net2_only()
    {
        Assert.Equal(["10.30.0.42"], (await ResolveAsync("pod-two-nics.yaml", "two-nics", "net2")).Value!.RequestedIps);
        Assert.Empty((await ResolveAsync("pod-two-nics.yaml", "two-nics", "net1")).Value!.RequestedIps);
    }

    [Fact]
    public async Task The_cni_args_pod_asks_for_an_address_inside_the_pool_it_chooses_on_a_network_with_the_ips_capability()
    {
        JsonObject pod = await PodAsync("pod-cni-args.yaml", "cni-args");
        JsonObject selection = Selections(pod).Single();
        string address = Rendered.Strings(selection["ips"]).Single().Split('/')[0];

        JsonObject pool = (await ExamplePoolsAsync())["vlan20-b"];
        string[] range = Rendered.Strings(pool["ranges"]).Single().Split('-');
        Assert.InRange(IPAddressOrder(address), IPAddressOrder(range[0]), IPAddressOrder(range[1]));
        Assert.Equal("vlan20", (string?)selection["name"]);
    }

    [Fact]
    public async Task The_deployments_application_pool_is_carved_from_an_example_pool_and_sized_replicas_plus_two()
    {
        JsonObject deployment = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Repository.Examples, "deployment-app-pool.yaml")));
        JsonObject annotations = deployment["metadata"]!["annotations"]!.AsObject();
        var info = new DeploymentInfo("default", "web", "uid", (int)deployment["spec"]!["replicas"]!, annotations.ToDictionary(a => a.Key, a => (string)a.Value!));

        Checked<(int Size, bool Keep)> wanted = AppPoolRules.Wanted(info);

        Assert.True(wanted.IsValid, wanted.Problem?.ToString());
        Assert.Equal((5, false), wanted.Value);
        Assert.Contains((string)annotations[UnderpoolAnnotations.AppPoolSubnet]!, (await ExamplePoolsAsync()).Keys);
    }

    [Fact]
    public async Task The_example_pools_render_into_the_charts_pools_job()
    {
        string values = await File.ReadAllTextAsync(Path.Combine(Repository.Examples, "pools-values.yaml"));

        Rendered rendered = await Helm.TemplateAsync(new ValueSet("example pools", values));

        Assert.Equal((await ExamplePoolsAsync()).Keys.Order(), rendered.Single("ConfigMap")["data"]!.AsObject().Select(p => p.Key).Order());
        Assert.Single(rendered.OfKind("Job"));
    }

    private static async Task<Checked<PodIntent>> ResolveAsync(string file, string podName, string ifName)
    {
        JsonObject pod = await PodAsync(file, podName);
        Dictionary<string, JsonObject> pools = await ExamplePoolsAsync();
        // Multus puts this network's cni-args into the delegate netconf's args.cni.
        JsonObject? cniArgs = Selections(pod).SingleOrDefault(s => (string?)s["interface"] == ifName)?["cni-args"]?.AsObject();
        var annotations = pod["metadata"]!["annotations"]!.AsObject().ToDictionary(a => a.Key, a => (string)a.Value!);
        var request = new PodIntentRequest
        {
            PodNamespace = "default",
            PodName = podName,
            IfName = ifName,
            Annotations = PodAnnotations.From(
                cniArgs?.ToDictionary(a => a.Key, a => JsonDocument.Parse(a.Value!.ToJsonString()).RootElement),
                annotations,
                null),
        };
        return PodIntentResolver.Resolve(request, name => pools.TryGetValue(name, out JsonObject? p)
            ? ((string)p["subnet"]!).Contains(':', StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4
            : null);
    }

    private static async Task<JsonObject> PodAsync(string file, string name) =>
        Yaml.Documents(await File.ReadAllTextAsync(Path.Combine(Repository.Examples, file))).Single(d => (string?)d["metadata"]!["name"] == name);

    /// <summary>The pod's Multus network selection elements (the annotation's JSON list form).</summary>
    private static IEnumerable<JsonObject> Selections(JsonObject pod)
    {
        string text = (string)pod["metadata"]!["annotations"]![Networks]!;
        return text.TrimStart().StartsWith('[') ? JsonNode.Parse(text)!.AsArray().Select(s => s!.AsObject()) : [];
    }

    private static async Task<Dictionary<string, JsonObject>> ExamplePoolsAsync()
    {
        JsonObject values = Yaml.Document(await File.ReadAllTextAsync(Path.Combine(Repository.Examples, "pools-values.yaml")));
        return values["pools"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => p!.AsObject());
    }

    private static uint IPAddressOrder(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(address).GetAddressBytes());
}
