using System.Net.Sockets;

namespace Underpool.Agent.Hosting;

/// <summary>Makes the socket path ready before the agent binds it: the directory exists and can be trusted, and a
/// stale socket is removed, but never a file that is not a socket nor the socket of an agent still listening.</summary>
internal static class SocketPath
{
    public static async Task PrepareAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        string socket = options.Socket;
        string? dir = Path.GetDirectoryName(Path.GetFullPath(socket));
        if (dir is not null)
        {
            // Created 0700 under the agent's umask (FileCreationMask), so a directory the agent makes is one it trusts.
            Directory.CreateDirectory(dir);
        }

        if (!options.AllowInsecureSocketDir && SocketDirectoryCheck.FindProblem(socket) is { } problem)
        {
            throw new AgentStartException(
                $"--socket {socket}: {problem}; whoever can write there can replace the socket and answer the plugin in the agent's " +
                "place. Put it in a directory only root or this agent's user can write (the default /run/underpool is made 0700), " +
                "or accept the risk with --allow-insecure-socket-dir");
        }

        if (Directory.Exists(socket))
        {
            throw new AgentStartException($"--socket {socket} is a directory; give the path of the socket file to create");
        }

        if (!File.Exists(socket))
        {
            return;
        }

        if (!SocketFile.IsSocket(socket))
        {
            // A typo such as --socket /var/lib/underpool/underpool.db must not delete the file it names.
            throw new AgentStartException($"--socket {socket} names an existing file that is not a socket; refusing to replace it");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Nobody listens: a leftover of an agent that died. Safe to replace.
            File.Delete(socket);
            return;
        }

        throw new AgentStartException($"another agent is already listening on {socket}; stop it first or pick another --socket");
    }
}
