namespace Underpool.Cni;

/// <summary>Error codes from the CNI spec (1-99) and this plugin's own (100+).</summary>
public static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodeFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;

    /// <summary>STATUS: the plugin cannot serve ADDs right now.</summary>
    public const int NotAvailable = 50;

    /// <summary>STATUS: the plugin cannot serve ADDs, and the runtime should not retry the pending ones.</summary>
    public const int NotAvailableDoNotRetry = 51;

    /// <summary>The chosen pool has no free address.</summary>
    public const int PoolExhausted = 100;

    /// <summary>No pool matches the request (names, family, node).</summary>
    public const int NoEligiblePool = 101;

    /// <summary>The agent failed or could not be reached.</summary>
    public const int AgentError = 102;

    /// <summary>CHECK: the runtime's prevResult and the agent's records disagree.</summary>
    public const int AllocationMismatch = 103;

    /// <summary>An address that cannot be given: taken, answered for on the wire, or not allowed here.</summary>
    public const int AddressUnavailable = 104;

    /// <summary>The pool's gateway did not answer on the uplink.</summary>
    public const int GatewayUnreachable = 105;
}
