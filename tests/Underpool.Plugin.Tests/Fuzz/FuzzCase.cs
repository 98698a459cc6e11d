using System.Text;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>One generated plugin call: the CNI_* variables as raw bytes (null = unset), stdin, and what was done to
/// them, so a failure can be read and replayed.</summary>
internal sealed record FuzzCase(int Index, string Verb, IReadOnlyDictionary<string, byte[]?> Environment, byte[] Stdin, IReadOnlyList<string> Mutations)
{
    /// <summary>Stands for the agent's socket in generated configs; each worker puts its own agent's path there.</summary>
    public const string SocketPlaceholder = "/@AGENT_SOCKET@";

    /// <summary>The verb the plugin is really asked for: the generated one, unless a mutation changed CNI_COMMAND.</summary>
    public string EffectiveVerb =>
        Environment.GetValueOrDefault("CNI_COMMAND") is { } command ? Encoding.UTF8.GetString(command) : "(unset)";

    /// <summary>Stdin with <see cref="SocketPlaceholder"/> replaced, where no mutation broke it.</summary>
    public byte[] StdinFor(string socket)
    {
        byte[] token = Encoding.ASCII.GetBytes(SocketPlaceholder);
        int at = Stdin.AsSpan().IndexOf(token);
        return at < 0 ? Stdin : [.. Stdin.AsSpan(0, at), .. Encoding.UTF8.GetBytes(socket), .. Stdin.AsSpan(at + token.Length)];
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("case ").Append(Index).Append(' ').Append(Verb).Append(" [").AppendJoin(", ", Mutations).AppendLine("]");
        foreach ((string name, byte[]? value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("  ").Append(name).Append('=').AppendLine(value is null ? "(unset)" : Escape(value, 200));
        }

        text.Append("  stdin (").Append(Stdin.Length).Append(" bytes): ").Append(Escape(Stdin, 600));
        return text.ToString();
    }

    /// <summary>Printable ASCII as is, everything else as \xNN, cut at <paramref name="max"/> bytes.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes.Length > max ? bytes[..max] : bytes)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return bytes.Length > max ? text.Append("...").ToString() : text.ToString();
    }
}
