using Underpool.Cni;

namespace Underpool.Api.Contracts;

/// <summary>The catalogue: every failure the agent, its client and the plugin can report, by name. The CNI error code
/// table of docs/architecture.md lists the same entries (a test holds the two together).</summary>
/// <remarks>A type appears twice only where one failure has two HTTP faces: "unknown-pool" is 404 for a pool named in
/// the path and 400 for one named in a CNI config. <see cref="All"/> is a plain array, not reflection: the plugin is
/// NativeAOT.</remarks>
public static class ProblemKinds
{
    // The request itself (CNI 7).
    public static readonly ProblemKind InvalidRequest =
        new("invalid-request", 400, CniErrorCode.InvalidNetworkConfig, "The request is invalid");

    /// <summary>Kestrel refused the request (framing, headers, timeouts); the status is Kestrel's.</summary>
    public static readonly ProblemKind BadRequest =
        new("bad-request", 400, CniErrorCode.InvalidNetworkConfig, "The request was refused");

    public static readonly ProblemKind RequestTooLarge =
        new("request-too-large", 413, CniErrorCode.InvalidNetworkConfig, "The request is too large");

    public static readonly ProblemKind RouteNotFound =
        new("not-found", 404, CniErrorCode.InvalidNetworkConfig, "The agent has no such route");

    public static readonly ProblemKind InvalidSocketPath =
        new("invalid-socket-path", 400, CniErrorCode.InvalidNetworkConfig, "The agent socket path is not usable");

    // A CNI config the agent cannot serve (CNI 7).
    public static readonly ProblemKind InvalidRequestedAddress =
        new("invalid-requested-address", 400, CniErrorCode.InvalidNetworkConfig, "A requested address is invalid");

    public static readonly ProblemKind NoPoolConfigured =
        new("no-pool-configured", 400, CniErrorCode.InvalidNetworkConfig, "The config names no pool and there is no default");

    public static readonly ProblemKind UnknownConfiguredPool =
        new("unknown-pool", 400, CniErrorCode.InvalidNetworkConfig, "The config names a pool that does not exist");

    public static readonly ProblemKind WrongFamily =
        new("wrong-family", 400, CniErrorCode.InvalidNetworkConfig, "A pool is of the wrong address family");

    public static readonly ProblemKind NoDefaultPool =
        new("no-default-pool", 400, CniErrorCode.InvalidNetworkConfig, "There is no default pool");

    // Administration: pools, application pools, nodes, endpoints, conflicts (CNI 7: no runtime sees them).
    public static readonly ProblemKind InvalidPool =
        new("invalid-pool", 400, CniErrorCode.InvalidNetworkConfig, "The pool is invalid");

    public static readonly ProblemKind UnknownPool =
        new("unknown-pool", 404, CniErrorCode.InvalidNetworkConfig, "No such pool");

    public static readonly ProblemKind PoolExists =
        new("pool-exists", 409, CniErrorCode.InvalidNetworkConfig, "The pool already exists");

    public static readonly ProblemKind PoolOverlap =
        new("pool-overlap", 409, CniErrorCode.InvalidNetworkConfig, "The pool overlaps another pool");

    public static readonly ProblemKind PoolInUse =
        new("pool-in-use", 409, CniErrorCode.InvalidNetworkConfig, "The pool still has allocations");

    public static readonly ProblemKind PoolDisabled =
        new("pool-disabled", 409, CniErrorCode.InvalidNetworkConfig, "The pool is disabled");

    public static readonly ProblemKind PoolBreaksRule =
        new("pool-breaks-rule", 409, CniErrorCode.InvalidNetworkConfig, "The pool breaks a pool rule");

    public static readonly ProblemKind AddressInUse =
        new("address-in-use", 409, CniErrorCode.InvalidNetworkConfig, "The addresses are allocated");

    public static readonly ProblemKind AppPoolInUse =
        new("app-pool-in-use", 409, CniErrorCode.InvalidNetworkConfig, "The application pool's addresses are in use");

    public static readonly ProblemKind ParentGone =
        new("parent-gone", 409, CniErrorCode.InvalidNetworkConfig, "The application pool's parent no longer exists");

    public static readonly ProblemKind UnknownNode =
        new("unknown-node", 404, CniErrorCode.InvalidNetworkConfig, "No such node");

    public static readonly ProblemKind NodeAlive =
        new("node-alive", 409, CniErrorCode.InvalidNetworkConfig, "The node is alive");

    /// <summary>Kubernetes mode: the runtime's K8S_POD_NAMESPACE/K8S_POD_NAME name no pod the agent can find.</summary>
    public static readonly ProblemKind PodNotFound =
        new("pod-not-found", 404, CniErrorCode.InvalidNetworkConfig, "No such pod");

    /// <summary>Kubernetes mode: the runtime's K8S_POD_UID is not the uid of the pod of that name.</summary>
    public static readonly ProblemKind PodUidMismatch =
        new("pod-uid-mismatch", 409, CniErrorCode.InvalidNetworkConfig, "The pod has another uid");

    public static readonly ProblemKind EndpointNotFound =
        new("endpoint-not-found", 404, CniErrorCode.InvalidNetworkConfig, "No such endpoint");

    public static readonly ProblemKind NotQuarantined =
        new("not-quarantined", 404, CniErrorCode.InvalidNetworkConfig, "The address is not in quarantine");

    public static readonly ProblemKind ProbeFailed =
        new("probe-failed", 409, CniErrorCode.InvalidNetworkConfig, "The address could not be probed");

    public static readonly ProblemKind StillInConflict =
        new("still-in-conflict", 409, CniErrorCode.InvalidNetworkConfig, "The address is still answered for");

    // Try again later (CNI 11).
    public static readonly ProblemKind StoreUnavailable =
        new("store-unavailable", 503, CniErrorCode.TryAgainLater, "The store is unavailable");

    public static readonly ProblemKind Contention =
        new("contention", 503, CniErrorCode.TryAgainLater, "Other agents kept taking the candidates");

    /// <summary>Kubernetes mode: the API server did not answer within the ADD's deadline.</summary>
    public static readonly ProblemKind KubernetesUnavailable =
        new("kubernetes-unavailable", 503, CniErrorCode.TryAgainLater, "The Kubernetes API server is unreachable");

    public static readonly ProblemKind AgentUnreachable =
        new("agent-unreachable", 503, CniErrorCode.TryAgainLater, "The Underpool agent is unreachable");

    /// <summary>The agent took the request but did not answer within the deadline: it may still complete.</summary>
    public static readonly ProblemKind AgentTimeout =
        new("agent-timeout", 504, CniErrorCode.TryAgainLater, "The Underpool agent did not answer in time");

    /// <summary>A success answer that cannot be used as one (an ADD may hold addresses: retry or DEL).</summary>
    public static readonly ProblemKind AgentAnswerInvalid =
        new("agent-answer-invalid", 502, CniErrorCode.TryAgainLater, "The agent's answer is invalid");

    // Underpool's own codes (100+).
    public static readonly ProblemKind PoolExhausted =
        new("pool-exhausted", 409, CniErrorCode.PoolExhausted, "The pool is exhausted");

    public static readonly ProblemKind NoEligiblePool =
        new("no-eligible-pool", 409, CniErrorCode.NoEligiblePool, "No candidate pool can be used on this node");

    public static readonly ProblemKind InternalError =
        new("internal-error", 500, CniErrorCode.AgentError, "The agent hit an internal error");

    /// <summary>An answer that is not the agent's (a proxy, a crash page); the status is the one that came.</summary>
    public static readonly ProblemKind AgentError =
        new("agent-error", 502, CniErrorCode.AgentError, "The agent gave an unexpected answer");

    public static readonly ProblemKind RequestedAddressUnavailable =
        new("requested-address-unavailable", 409, CniErrorCode.AddressUnavailable, "The requested address cannot be given");

    public static readonly ProblemKind AddressConflicts =
        new("address-conflicts", 409, CniErrorCode.AddressUnavailable, "The addresses are in use on the underlay");

    public static readonly ProblemKind StaticAddressKept =
        new("static-address-kept", 409, CniErrorCode.AddressUnavailable, "The static endpoint keeps another address");

    public static readonly ProblemKind StaticAddressUnusable =
        new("static-address-unusable", 409, CniErrorCode.AddressUnavailable, "The static endpoint's address cannot be used here");

    public static readonly ProblemKind GatewayUnreachable =
        new("gateway-unreachable", 409, CniErrorCode.GatewayUnreachable, "The pool's gateway did not answer");

    // The plugin's own, never an HTTP answer (the status is the one the agent would give): the spec's codes for input
    // the plugin refuses before asking the agent, STATUS, and CHECK's verdict.
    public static readonly ProblemKind IncompatibleVersion =
        new("incompatible-cni-version", 400, CniErrorCode.IncompatibleVersion, "The cniVersion is not supported");

    public static readonly ProblemKind UnknownContainer =
        new("unknown-container", 404, CniErrorCode.UnknownContainer, "No addresses are recorded for the container");

    public static readonly ProblemKind InvalidEnvironment =
        new("invalid-cni-environment", 400, CniErrorCode.InvalidEnvironment, "A CNI environment variable is invalid");

    public static readonly ProblemKind StdinUnreadable =
        new("stdin-unreadable", 400, CniErrorCode.IoFailure, "The network config could not be read");

    public static readonly ProblemKind UndecodableConfig =
        new("undecodable-config", 400, CniErrorCode.DecodeFailure, "The network config cannot be decoded");

    public static readonly ProblemKind InvalidConfig =
        new("invalid-config", 400, CniErrorCode.InvalidNetworkConfig, "The network config is invalid");

    /// <summary>An exception nothing foresaw, in the plugin: code 7, one line, never a stack trace.</summary>
    public static readonly ProblemKind PluginInternalError =
        new("plugin-internal-error", 500, CniErrorCode.InvalidNetworkConfig, "The plugin hit an internal error");

    public static readonly ProblemKind NotAvailable =
        new("not-available", 503, CniErrorCode.NotAvailable, "The agent cannot serve ADDs now");

    public static readonly ProblemKind AllocationMismatch =
        new("allocation-mismatch", 409, CniErrorCode.AllocationMismatch, "The runtime's addresses and the agent's records disagree");

    /// <summary>Every entry, in the order above.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        InvalidRequest, BadRequest, RequestTooLarge, RouteNotFound, InvalidSocketPath,
        InvalidRequestedAddress, NoPoolConfigured, UnknownConfiguredPool, WrongFamily, NoDefaultPool,
        InvalidPool, UnknownPool, PoolExists, PoolOverlap, PoolInUse, PoolDisabled, PoolBreaksRule, AddressInUse,
        AppPoolInUse, ParentGone, UnknownNode, NodeAlive, PodNotFound, PodUidMismatch, EndpointNotFound, NotQuarantined, ProbeFailed, StillInConflict,
        StoreUnavailable, Contention, KubernetesUnavailable, AgentUnreachable, AgentTimeout, AgentAnswerInvalid,
        PoolExhausted, NoEligiblePool, InternalError, AgentError,
        RequestedAddressUnavailable, AddressConflicts, StaticAddressKept, StaticAddressUnusable, GatewayUnreachable,
        IncompatibleVersion, UnknownContainer, InvalidEnvironment, StdinUnreadable, UndecodableConfig, InvalidConfig,
        PluginInternalError, NotAvailable, AllocationMismatch,
    ];
}
