namespace Underpool.Kubernetes.Watching;

/// <summary>How a follower is doing, for the agent's status and for tests: counts only grow.</summary>
internal sealed record WatchHealth(
    bool Synced,
    string? ResourceVersion,
    int Lists,
    int Resumes,
    int Gone,
    int ConsecutiveFailures,
    string? LastError);
