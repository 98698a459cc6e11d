using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Underpool.Deploy.Tests.Support;
using Underpool.Kubernetes.Leadership;
using Underpool.Testing.Kubernetes;

namespace Underpool.Deploy.Tests.Rbac;

/// <summary>One permission: a verb on a resource of an API group.</summary>
internal sealed record Permission(string Verb, string Group, string Resource)
{
    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}";
}

/// <summary>The chart's RBAC against what the agent asks: everything asked is granted, in the right scope, and nothing
/// is granted that neither the recording nor docs/kubernetes.md says the agent needs.</summary>
public sealed partial class RbacTests
{
    private static readonly Lazy<Task<IReadOnlyCollection<FakeApiRequest>>> Recorded = new(() => AgentApiRecording.RecordAsync(Helm.Namespace));

    [Fact]
    public async Task Every_request_the_agent_makes_is_granted_in_its_scope()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);
        IReadOnlyCollection<FakeApiRequest> recorded = await Recorded.Value;
        List<JsonObject> clusterRules = Rules(rendered.Single("ClusterRole"));
        JsonObject role = rendered.Single("Role");
        List<JsonObject> namespacedRules = Rules(role);

        Assert.Equal(Helm.Namespace, (string?)role["metadata"]!["namespace"]);
        var missing = new List<string>();
        foreach (FakeApiRequest request in recorded)
        {
            // A Role grants in its own namespace only; everything else (cluster-scoped objects, all-namespace lists,
            // events in the pods' namespaces) needs the ClusterRole.
            bool inRoleNamespace = request.Namespace == Helm.Namespace;
            if (!Grants(clusterRules, request) && !(inRoleNamespace && Grants(namespacedRules, request)))
            {
                missing.Add($"{request.Verb} {request.Group}/{request.Resource} in {request.Namespace ?? "(cluster)"}");
            }
        }

        Assert.True(missing.Count == 0, "not granted:\n" + string.Join("\n", missing));
        Assert.Contains(recorded, r => r.Resource == "leases" && r.Verb == "update");
        Assert.Contains(recorded, r => r.Resource == "events" && r.Verb == "patch" && r.Namespace == "shop");
    }

    [Fact]
    public async Task Nothing_is_granted_that_the_agent_neither_asks_nor_is_documented_to_need()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);
        HashSet<Permission> recorded = (await Recorded.Value).Select(r => new Permission(r.Verb, r.Group, r.Resource)).ToHashSet();
        HashSet<Permission> documented = await DocumentedAsync();

        var granted = Rules(rendered.Single("ClusterRole")).Concat(Rules(rendered.Single("Role"))).SelectMany(Permissions).ToHashSet();

        Assert.DoesNotContain(granted, p => p.Verb == "*" || p.Resource == "*" || p.Group == "*");
        Assert.Empty(granted.Except(recorded).Except(documented).Select(p => p.ToString()));
        // The documentation follows the code: it lists everything the agent asks.
        Assert.Empty(recorded.Except(documented).Select(p => p.ToString()));
    }

    [Fact]
    public async Task The_lease_may_be_read_and_updated_only_by_its_name_which_is_the_electors()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);

        JsonObject named = Rules(rendered.Single("Role")).Single(r => r["resourceNames"] is not null);
        Assert.Equal([new LeaderElectionOptions().LeaseName], Rendered.Strings(named["resourceNames"]));
        Assert.Equal(["get", "update"], Rendered.Strings(named["verbs"]).Order());
    }

    [Fact]
    public async Task The_bindings_give_both_roles_to_the_agents_service_account()
    {
        Rendered rendered = await Helm.TemplateAsync(ValueSets.Default);
        string account = (string)rendered.PodSpec["serviceAccountName"]!;

        Assert.Equal(account, (string?)rendered.Single("ServiceAccount")["metadata"]!["name"]);
        foreach ((string binding, string role) in new[] { ("ClusterRoleBinding", "ClusterRole"), ("RoleBinding", "Role") })
        {
            JsonObject bound = rendered.Single(binding);
            Assert.Equal(role, (string?)bound["roleRef"]!["kind"]);
            Assert.Equal((string?)rendered.Single(role)["metadata"]!["name"], (string?)bound["roleRef"]!["name"]);
            JsonNode subject = bound["subjects"]!.AsArray().Single()!;
            Assert.Equal(("ServiceAccount", account, Helm.Namespace), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));
        }
    }

    /// <summary>The table under "What the agent asks the API server" in docs/kubernetes.md:
    /// | verbs | group | resources | scope | by |.</summary>
    private static async Task<HashSet<Permission>> DocumentedAsync()
    {
        string docs = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "kubernetes.md"));
        string section = docs[docs.IndexOf("## What the agent asks the API server", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 3, StringComparison.Ordinal) is int end and > 0 ? end : section.Length)];
        var permissions = new HashSet<Permission>();
        foreach (Match row in TableRow().Matches(section).Where(m => m.Groups["verbs"].Value != "verbs"))
        {
            string group = row.Groups["group"].Value.Trim().Trim('"');
            foreach (string verb in row.Groups["verbs"].Value.Split(',', StringSplitOptions.TrimEntries))
            {
                foreach (string resource in row.Groups["resources"].Value.Split(',', StringSplitOptions.TrimEntries))
                {
                    permissions.Add(new Permission(verb, group, resource));
                }
            }
        }

        return permissions.Count > 0 ? permissions : throw new InvalidDataException("docs/kubernetes.md has no RBAC table");
    }

    [GeneratedRegex(@"^\| (?<verbs>[a-z, ]+) \| (?<group>""""|[a-z0-9.]+) \| (?<resources>[a-z, ]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static List<JsonObject> Rules(JsonObject role) => role["rules"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private static IEnumerable<Permission> Permissions(JsonObject rule) =>
        from g in Rendered.Strings(rule["apiGroups"])
        from r in Rendered.Strings(rule["resources"])
        from v in Rendered.Strings(rule["verbs"])
        select new Permission(v, g, r);

    private static bool Grants(IEnumerable<JsonObject> rules, FakeApiRequest request) =>
        rules.SelectMany(Permissions).Contains(new Permission(request.Verb, request.Group, request.Resource));
}
