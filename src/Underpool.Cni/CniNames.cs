using System.Globalization;
using System.Text;

namespace Underpool.Cni;

/// <summary>The rules for the names that identify an attachment: the CNI spec's for container ids, network names and
/// interface names, and ours for the network namespace path. The plugin checks what a runtime sent with them and the
/// agent checks what any client sent, so both refuse the same things in the same words.</summary>
/// <remarks>Each check returns what is wrong as the end of a sentence whose subject the caller names
/// (<c>CNI_IFNAME "eth0:1" contains ':'...</c>), or null when the value is fine.</remarks>
public static class CniNames
{
    /// <summary>The spec's rule for container ids and network names: <c>^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$</c>.</summary>
    public const string NameRule = "letters, digits, '_', '.' and '-', starting with a letter or digit";

    /// <summary>Linux's IFNAMSIZ (16) less the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>Our cap on container ids and network names; the spec sets none. Runtimes cache results in files named
    /// after both (libcni's network-container-interface), and a file name holds at most 255 bytes.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Linux's PATH_MAX (4096) less the terminating NUL.</summary>
    public const int MaxNetNsPathBytes = 4095;

    private const int MaxShownLength = 80;

    /// <summary>Checks a container id (CNI_CONTAINERID) against the spec's rule.</summary>
    public static string? ContainerIdProblem(string id) => NameProblem(id);

    /// <summary>Checks a network name (the netconf's <c>name</c>) against the spec's rule.</summary>
    public static string? NetworkNameProblem(string name) => NameProblem(name);

    /// <summary>Checks an interface name (CNI_IFNAME) against the spec's rule, which is Linux's: not empty, at most
    /// 15 bytes, not "." or "..", no '/', ':' or whitespace.</summary>
    public static string? InterfaceNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxInterfaceNameBytes)
        {
            return $"is {bytes} bytes long; Linux interface names are at most {MaxInterfaceNameBytes}";
        }

        if (name is "." or "..")
        {
            return "is reserved ('.' and '..' cannot name an interface)";
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                string what = c switch { '/' => "'/'", ':' => "':'", _ => "whitespace" };
                return $"contains {what}; interface names cannot contain '/', ':' or whitespace";
            }
        }

        return null;
    }

    /// <summary>Checks a network namespace path (CNI_NETNS): absolute, at most PATH_MAX, printable, and UTF-8.</summary>
    /// <remarks>The spec only says it is a path. The agent's liveness sweep later tests whether this very path still
    /// exists, from its own working directory: a relative path, or one whose bytes were not UTF-8 (read as U+FFFD, so
    /// a different path), would look gone while the container runs, and its addresses would be released.</remarks>
    public static string? NetNsProblem(string path)
    {
        if (path.Length == 0)
        {
            return "is empty";
        }

        int bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxNetNsPathBytes)
        {
            return $"is {bytes} bytes long; a path is at most {MaxNetNsPathBytes}";
        }

        if (!path.StartsWith('/'))
        {
            return "is not an absolute path; expected a path like /var/run/netns/NAME or /proc/PID/ns/net";
        }

        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (char.IsControl(c))
            {
                return string.Create(
                    CultureInfo.InvariantCulture, $"contains the control character U+{(int)c:X4} at position {i + 1}; a namespace path is printable");
            }

            if (c == '\uFFFD')
            {
                return $"is not UTF-8 text (position {i + 1}); the agent could not find the path again to tell whether the container still runs";
            }
        }

        return null;
    }

    /// <summary>A value quoted for a message, shortened when long (an id of a megabyte is not worth echoing).</summary>
    public static string Quote(string value) =>
        value.Length <= MaxShownLength ? $"\"{value}\"" : $"\"{value.AsSpan(0, MaxShownLength)}...\" ({value.Length} characters)";

    private static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return $"is empty; expected {NameRule}";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long; at most {MaxNameLength} are allowed";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = char.IsAsciiLetterOrDigit(c) || (i > 0 && c is '_' or '.' or '-');
            if (!ok)
            {
                return string.Create(
                    CultureInfo.InvariantCulture, $"is invalid: {Describe(c)} at position {i + 1} is not allowed; expected {NameRule}");
            }
        }

        return null;
    }

    // A control character or a lone surrogate would not survive being printed inside quotes: name it by code point.
    private static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD'
            ? string.Create(CultureInfo.InvariantCulture, $"the character U+{(int)c:X4}")
            : $"character '{c}'";
}
