namespace Underpool.Agent.Hosting;

/// <summary>Whether the directories holding the agent's socket are safe from other users. The socket is the agent's
/// only access control: whoever can write its directory can delete it and bind a socket of their own in its place,
/// and the plugin (run as root by the runtime) would then ask that process for addresses.</summary>
internal static class SocketDirectoryCheck
{
    private const int OthersMayWrite = 0x12; // 022: group or other write
    private const int Sticky = 0x200;        // 01000

    /// <summary>Null when safe; else what is wrong, naming the directory. The socket's own directory must belong to root
    /// or this agent's user and be writable by its owner only. Every directory above it must belong to root or this
    /// user and be writable by nobody else unless it is sticky (/tmp): there others cannot rename or remove what is
    /// not theirs, so they cannot move the socket's directory away and put their own in its place.</summary>
    public static string? FindProblem(string socket)
    {
        int self = FileStatus.EffectiveUser;
        string directory = Path.GetDirectoryName(Path.GetFullPath(socket)) ?? "/";
        for (string? current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            if (FileStatus.Of(current) is not { } status)
            {
                continue;
            }

            string which = current == directory ? "the socket's directory" : $"the directory above it";
            if (status.Owner != 0 && status.Owner != self)
            {
                return $"{which} {current} belongs to uid {status.Owner}, neither root nor this agent's user (uid {self})";
            }

            if ((status.Permissions & OthersMayWrite) != 0 && (current == directory || (status.Permissions & Sticky) == 0))
            {
                return $"{which} {current} can be written by users other than its owner (mode {status.OctalPermissions})";
            }
        }

        return null;
    }
}
