using System.Text.Json;
using Underpool.Api.Contracts;

namespace Underpool.Cli.Tests;

/// <summary>Canned agent answers, serialized the way the agent does it (ApiJsonContext, camelCase).</summary>
internal static class Samples
{
    public static PoolView RackPool { get; } = new()
    {
        Pool = new PoolDefinition
        {
            Name = "rack1-v4",
            Subnet = "10.20.0.0/24",
            Ranges = ["10.20.0.10-10.20.0.200"],
            Exclude = ["10.20.0.99"],
            Gateway = "10.20.0.1",
            Routes = [new AssignedRoute { Dst = "0.0.0.0/0", Gw = "10.20.0.1" }, new AssignedRoute { Dst = "10.9.0.0/16" }],
            Vlan = 120,
            NodeSelector = "rack in (r1,r2)",
            Default = true,
        },
        Family = "ipv4",
        Usage = new PoolUsage { Allocated = 3, Capacity = "189", PercentUsed = 1.587 },
    };

    public static PoolView V6Pool { get; } = new()
    {
        Pool = new PoolDefinition { Name = "v6", Subnet = "2001:db8:20::/64", Nodes = ["n1", "n2"] },
        Family = "ipv6",
        Usage = new PoolUsage { Allocated = 0, Capacity = "18446744073709551614", PercentUsed = 0 },
    };

    public static AllocationView PodAllocation { get; } = new()
    {
        Pool = "rack1-v4",
        Address = "10.20.0.10",
        Network = "underlay",
        ContainerId = "0123456789abcdef0123456789abcdef",
        IfName = "net1",
        Node = "worker-3",
        PodNamespace = "shop",
        PodName = "db-0",
        CreatedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)),
    };

    public static string Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    public static string Problem(string type, int status, string detail) =>
        JsonSerializer.Serialize(new Problem { Type = type, Title = type, Status = status, Detail = detail }, ApiJsonContext.Default.Problem);
}
