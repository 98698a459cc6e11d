namespace Underpool.Agent.Hosting;

/// <summary>What is at the path the agent is told to listen on, before it replaces anything there.</summary>
internal static class SocketFile
{
    /// <summary>True only for a unix socket file. Anything else (a regular file such as the store's database, a
    /// FIFO, a device) must never be deleted to make room for the agent's socket.</summary>
    public static bool IsSocket(string path) => FileStatus.Of(path)?.Kind == FileKind.Socket;
}
