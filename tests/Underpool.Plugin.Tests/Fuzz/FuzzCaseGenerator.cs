using System.Text;
using System.Text.Json.Nodes;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>Generates plugin calls from a seed: a well-formed call of a random verb (the shapes a runtime sends), then,
/// for most cases, damage to its stdin and CNI_* variables. The same seed gives the same cases.</summary>
internal sealed class FuzzCaseGenerator
{
    private static readonly string[] Verbs = ["ADD", "ADD", "ADD", "DEL", "DEL", "CHECK", "STATUS", "GC", "VERSION"];
    private static readonly string[] Versions = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    private readonly Random _random;
    private readonly StdinMutator _stdin;
    private readonly EnvironmentMutator _environment;

    public FuzzCaseGenerator(int seed)
    {
        _random = new Random(seed);
        _stdin = new StdinMutator(_random);
        _environment = new EnvironmentMutator(_random);
    }

    public FuzzCase Next(int index)
    {
        string verb = Verbs[_random.Next(Verbs.Length)];
        var mutations = new List<string>();
        JsonObject config = Config(verb, index);
        Dictionary<string, byte[]?> environment = Environment(verb, index);

        // About one case in six stays well-formed, so success paths (and the store changes they make) are exercised too.
        int damage = _random.Next(6) == 0 ? 0 : 1 + _random.Next(3);
        for (int i = 0; i < damage; i++)
        {
            if (_random.Next(4) == 0)
            {
                mutations.Add(_environment.Mutate(environment));
            }
            else
            {
                mutations.Add(_stdin.MutateTree(config));
            }
        }

        byte[] stdin = StdinMutator.ExpandPlaceholders(Encoding.UTF8.GetBytes(config.ToJsonString()));
        if (damage > 0 && _random.Next(2) == 0)
        {
            mutations.Add(_stdin.MutateBytes(ref stdin));
        }

        return new FuzzCase(index, verb, environment, stdin, mutations);
    }

    private JsonObject Config(string verb, int index)
    {
        string version = verb is "STATUS" or "GC" ? "1.1.0" : Versions[_random.Next(Versions.Length)];
        if (verb == "VERSION")
        {
            return new JsonObject { ["cniVersion"] = version };
        }

        var pools = new JsonObject();
        int families = _random.Next(4); // 0: defaults (none named), 1: v4, 2: v6, 3: both
        if ((families & 1) != 0)
        {
            pools["ipv4"] = new JsonArray("v4");
        }

        if ((families & 2) != 0)
        {
            pools["ipv6"] = new JsonArray("v6");
        }

        var config = new JsonObject
        {
            ["cniVersion"] = version,
            ["name"] = "underlay",
            ["type"] = "macvlan",
            ["master"] = "eth0",
            ["ipam"] = new JsonObject { ["type"] = "underpool", ["socket"] = FuzzCase.SocketPlaceholder, ["pools"] = pools },
        };
        if (verb == "ADD" && _random.Next(4) == 0)
        {
            config["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray($"172.20.1.{10 + (index % 200)}/24") };
        }

        if (verb is "CHECK" or "DEL")
        {
            config["prevResult"] = new JsonObject
            {
                ["cniVersion"] = version,
                ["ips"] = new JsonArray(new JsonObject { ["address"] = "172.20.1.5/24", ["gateway"] = "172.20.1.1" }),
            };
        }

        if (verb == "GC")
        {
            config["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = $"fz{index}", ["ifname"] = "eth0" });
        }

        return config;
    }

    private static Dictionary<string, byte[]?> Environment(string verb, int index)
    {
        var environment = new Dictionary<string, byte[]?>(StringComparer.Ordinal)
        {
            ["CNI_COMMAND"] = Ascii(verb),
            ["CNI_PATH"] = Ascii("/opt/cni/bin:/usr/lib/cni"),
        };
        if (verb is "ADD" or "DEL" or "CHECK")
        {
            environment["CNI_CONTAINERID"] = Ascii($"fz{index}");
            environment["CNI_IFNAME"] = Ascii("eth0");
            environment["CNI_NETNS"] = Ascii($"/var/run/netns/fz{index}");
            environment["CNI_ARGS"] = Ascii($"IgnoreUnknown=1;K8S_POD_NAMESPACE=fuzz;K8S_POD_NAME=pod{index}");
        }

        return environment;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
