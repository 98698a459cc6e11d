namespace Underpool.Api.Contracts;

/// <summary>The agent's HTTP routes, shared by server and clients so they cannot drift apart.</summary>
public static class ApiRoutes
{
    public const string CniAdd = "/v1/cni/add";
    public const string CniDel = "/v1/cni/del";
    public const string CniCheck = "/v1/cni/check";
    public const string CniGc = "/v1/cni/gc";
    public const string Status = "/v1/status";
    public const string Pools = "/v1/pools";
    public const string Reserved = "/v1/reserved";
    public const string ReservedRemove = "/v1/reserved/remove";
    public const string Allocations = "/v1/allocations";
    public const string Nodes = "/v1/nodes";
    public const string Conflicts = "/v1/conflicts";
    public const string ConflictsClear = "/v1/conflicts/clear";
    public const string Endpoints = "/v1/endpoints";
    public const string EndpointsRelease = "/v1/endpoints/release";
    public const string AppPools = "/v1/app-pools";
    public const string AppPoolsReclaim = "/v1/app-pools/reclaim";
    public const string GcRun = "/v1/gc/run";
    public const string Import = "/v1/import";
    public const string Metrics = "/metrics";
    public const string Health = "/healthz";

    /// <summary>The default agent socket, also the plugin's default when ipam.socket is absent.</summary>
    public const string DefaultSocket = "/run/underpool/agent.sock";

    public static string Pool(string name) => $"{Pools}/{Uri.EscapeDataString(name)}";

    public static string PoolUpdate(string name) => $"{Pool(name)}/update";

    public static string NodeForget(string name) => $"{Nodes}/{Uri.EscapeDataString(name)}/forget";

    public static string AppPool(string name) => $"{AppPools}/{Uri.EscapeDataString(name)}";

    public static string AppPoolScale(string name) => $"{AppPool(name)}/scale";
}
