using Underpool.Api;
using Underpool.Api.Contracts;
using Underpool.Cni;

namespace Underpool.Plugin;

/// <summary>What every verb needs: the parsed environment and config, the agent, and where to print.</summary>
internal sealed record PluginCall(CniEnvironment Env, NetworkConfig Config, AgentClient Agent, Stream Stdout)
{
    /// <summary>The attachment as the agent keys it: the CNI (network, container id, interface) triple plus who owns it.</summary>
    public AttachmentIdentity Attachment => new()
    {
        Network = Config.Name,

        // The environment parser guarantees both for ADD, DEL and CHECK, the only verbs that ask for this.
        ContainerId = Env.ContainerId ?? string.Empty,
        IfName = Env.IfName ?? string.Empty,
        NetNs = Env.NetNs,
        PodNamespace = Env.Args.PodNamespace,
        PodName = Env.Args.PodName,
        PodUid = Env.Args.PodUid,
    };

    /// <summary>The agent's problem as the CNI error the runtime shows; its type goes into details for scripts.</summary>
    public static CniError ToCniError(Problem problem) =>
        new(problem.CniCode ?? ProblemKinds.AgentError.CniCode, problem.Detail, problem.Type);
}
