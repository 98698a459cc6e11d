using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Underpool.Agent.Add;
using Underpool.Agent.Attachments;
using Underpool.Agent.Cni;
using Underpool.Agent.Conflicts;
using Underpool.Agent.Endpoints;
using Underpool.Agent.Gc;
using Underpool.Agent.Nodes;
using Underpool.Agent.Observability;
using Underpool.Agent.Pools;
using Underpool.Core.Pools;
using Underpool.Probe;
using Underpool.Probe.Linux;
using Underpool.Store;

namespace Underpool.Agent.Hosting;

/// <summary>The agent's parts, each registered once: the host serves them, and the request benchmark builds the same
/// graph without a host.</summary>
internal static class AgentServices
{
    /// <param name="prober">Replaces the AF_PACKET prober (tests); null for the real one.</param>
    public static void Add(IServiceCollection services, AgentOptions options, IIpamStore store, IAddressProber? prober)
    {
        services.AddSingleton(options);
        services.AddSingleton<LocalNode>();
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        AddHosting(services);
        services.AddSingleton<PoolRegistry>();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<AttachmentRelease>();
        AddConflicts(services, prober);
        AddCni(services);
        services.AddSingleton<PoolAdminService>();
        services.AddSingleton<Import.ImportService>();
        services.AddSingleton<PoolUpdateService>();
        // Public for the daemon (its Version), so its constructor, taking the agent's own parts, is internal.
        services.AddSingleton(s => new AgentStatusService(
            s.GetRequiredService<IIpamStore>(), s.GetRequiredService<AgentOptions>(), s.GetRequiredService<StoreReadiness>()));
        services.AddSingleton<NodeDirectory>();
        services.AddSingleton<NodeForgetService>();
        services.AddSingleton<EndpointDirectory>();
        services.AddSingleton<AppPoolService>();
        services.AddSingleton<LivenessSweep>();
        services.AddSingleton<LivenessSweepLoop>();
        services.AddSingleton<DeadNodeReaper>();
        services.AddSingleton<NodeHeartbeat>();
        Kubernetes.KubernetesServices.Add(services, options);

        // The loops that work on the store start once the agent has reached it.
        AddAfterStoreReached<QuarantineRecheckLoop>(services);
        AddAfterStoreReached<LivenessSweepLoop>(services);
        AddAfterStoreReached<DeadNodeReaper>(services);
        AddAfterStoreReached<NodeHeartbeat>(services);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
    }

    private static void AddHosting(IServiceCollection services)
    {
        services.AddSingleton<AgentSocketTransport>();
        services.AddSingleton<IConnectionListenerFactory>(s => s.GetRequiredService<AgentSocketTransport>());
        services.AddHostedService<SocketWatch>();
        services.AddHostedService<MemoryTrim>();
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<StoreStartup>();
        services.AddHostedService(s => s.GetRequiredService<StoreStartup>());
    }

    private static void AddConflicts(IServiceCollection services, IAddressProber? prober)
    {
        services.AddSingleton(prober ?? new PacketProber());
        services.AddSingleton<UplinkResolver>();
        services.AddSingleton<LocalUplinks>();
        services.AddSingleton<MacDirectory>();
        services.AddSingleton<QuarantineHealer>();
        services.AddSingleton<ProbeRunner>();
        services.AddSingleton<AnswerSettlement>();
        services.AddSingleton<ConflictScreen>();
        services.AddSingleton<GatewayVerifier>();
        services.AddSingleton<QuarantineService>();
        services.AddSingleton<QuarantineRecheckLoop>();
    }

    /// <summary>The CNI verbs, and ADD's stages in the order it runs them after the first (<see cref="IAddIdentifier"/>,
    /// registered with the Kubernetes parts: it reads forwarded pod annotations in every mode).</summary>
    private static void AddCni(IServiceCollection services)
    {
        services.AddSingleton<AddAnswer>();
        services.AddSingleton<StaticEndpoints>();
        services.AddSingleton<HeldAddresses>();
        services.AddSingleton<PoolChooser>();
        services.AddSingleton<CandidatePicker>();
        services.AddSingleton<CandidateScreen>();
        services.AddSingleton<AllocationCommit>();
        services.AddSingleton<AddFlow>();
        services.AddSingleton<CniDel>();
        services.AddSingleton<CniCheck>();
        services.AddSingleton<CniGc>();
        services.AddSingleton<CniService>();
    }

    private static void AddAfterStoreReached<T>(IServiceCollection services)
        where T : class, IHostedService =>
        services.AddSingleton<IHostedService>(s => new AfterStoreReached(s.GetRequiredService<T>(), s.GetRequiredService<StoreReadiness>()));
}
