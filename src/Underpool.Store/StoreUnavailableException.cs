namespace Underpool.Store;

/// <summary>The store did not answer (unreachable, no leader, past the call's deadline): infrastructure, not a user
/// mistake. An <see cref="IOException"/>, so the agent answers 503, store unavailable (CNI error 11, try again later).</summary>
public sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException()
        : this("the store did not answer")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="store">The store's <see cref="IIpamStore.Description"/>.</param>
    /// <param name="failed">What was being done, e.g. "committing the addresses of underlay/c1/eth0".</param>
    /// <param name="reason">What went wrong, e.g. "no answer within 2 s".</param>
    /// <param name="nothingChanged">True when the store certainly holds nothing of this call, so a retry is safe.</param>
    public StoreUnavailableException(string store, string failed, string reason, bool nothingChanged, Exception? innerException = null)
        : base(Compose(store, failed, reason, nothingChanged), innerException)
    {
        NothingChanged = nothingChanged;
    }

    /// <summary>True when the call certainly changed nothing in the store.</summary>
    public bool NothingChanged { get; }

    /// <summary>True when the store answers reads but refuses writes (a full disk, a read-only or failing file system):
    /// waiting alone may not end it, and readiness reports it.</summary>
    public bool RefusesWrites { get; init; }

    /// <summary>The sentence that tells a caller whether a failed call changed anything, for failures that say so and,
    /// with false, for those that cannot know.</summary>
    public static string Statement(bool nothingChanged) => nothingChanged
        ? "nothing was changed, try again"
        : "the change may or may not have been made: read back before relying on it";

    private static string Compose(string store, string failed, string reason, bool nothingChanged) =>
        $"{store} is unavailable: {failed} failed ({reason}); {Statement(nothingChanged)}";
}
