using Underpool.Agent;
using Underpool.Store.Etcd;

namespace Underpool.Daemon.Options;

/// <summary>What underpoold's flags say: the agent's options and the store's, which only this program opens.</summary>
internal sealed record DaemonOptions
{
    public const string DefaultDataDir = "/var/lib/underpool";

    public required AgentOptions Agent { get; init; }

    /// <summary>The embedded store's directory, when <see cref="AgentOptions.Store"/> is <see cref="StoreKind.Embedded"/>;
    /// several agents on one host may share it.</summary>
    public string DataDir { get; init; } = DefaultDataDir;

    /// <summary>The etcd store's options, when <see cref="AgentOptions.Store"/> is <see cref="StoreKind.Etcd"/>.</summary>
    public EtcdStoreOptions Etcd { get; init; } = new();
}
