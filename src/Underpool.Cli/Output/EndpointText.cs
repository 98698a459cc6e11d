using Underpool.Api.Contracts;

namespace Underpool.Cli.Output;

/// <summary>Endpoints for people: the list, one in full, and what a release freed.</summary>
internal static class EndpointText
{
    public static void WriteTable(EndpointList list, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(list);
        var table = new TableWriter("ENDPOINT", "STATIC", "STATUS", "NODE", "CONTAINER", "OWNER", "ADDRESSES");
        foreach (EndpointView e in list.Endpoints)
        {
            table.AddRow(
                e.Name,
                e.Static ? "yes" : "no",
                e.Running ? "running" : "stopped",
                e.Node,
                ShortId(e.ContainerId),
                Owner(e),
                string.Join(",", e.Interfaces.SelectMany(i => i.Addresses.Select(a => $"{i.IfName}:{a.Address}"))));
        }

        table.WriteTo(output);
    }

    public static void WriteDetail(EndpointView e, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(e);
        var list = new PropertyList()
            .Add("Endpoint", e.Name)
            .Add("Static", e.Static ? "yes (kept across DEL; freed by 'underpoolctl endpoint release')" : "no")
            .Add("Status", e.Running ? "running" : "stopped")
            .Add("Container", e.ContainerId ?? PoolText.None)
            .Add("Pod UID", e.PodUid ?? PoolText.None)
            .Add("Node", e.Node)
            .Add("Netns", e.NetNs ?? PoolText.None)
            .Add("Owner", Owner(e));
        foreach (EndpointInterface nic in e.Interfaces)
        {
            list.Add($"{nic.Network}/{nic.IfName}", string.Join(", ", nic.Addresses.Select(a => $"{a.Address} ({a.Pool})")));
        }

        list.WriteTo(output);
    }

    public static void WriteReleased(EndpointReleaseResponse answer, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Released.Count == 0)
        {
            output.WriteLine("nothing to release: no endpoint matched");
            return;
        }

        foreach (AllocationView a in answer.Released)
        {
            string who = a.PodName is null ? a.ContainerId : a.PodNamespace is null ? a.PodName : $"{a.PodNamespace}/{a.PodName}";
            output.WriteLine($"released {a.Address} ({a.Pool}) of {who}");
        }
    }

    private static string Owner(EndpointView e) => e.OwnerKind is null ? PoolText.None : $"{e.OwnerKind}/{e.OwnerName}";

    private static string ShortId(string? id) =>
        id is null ? PoolText.None : id.Length <= AllocationText.ShortContainerId ? id : id[..AllocationText.ShortContainerId];
}
