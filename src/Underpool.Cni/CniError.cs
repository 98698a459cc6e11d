using System.Globalization;
using System.Text;
using System.Text.Json;
using Underpool.Cni.Json;

namespace Underpool.Cni;

/// <summary>A CNI error: printed on stdout as <c>{"cniVersion","code","msg","details"}</c> with a non-zero exit.</summary>
/// <param name="Code">A <see cref="CniErrorCode"/> value.</param>
/// <param name="Msg">A short message naming what is wrong and what is expected.</param>
/// <param name="Details">Longer detail, omitted from the JSON when null.</param>
public sealed record CniError(int Code, string Msg, string? Details = null)
{
    /// <summary>The spec's error JSON, stamped with <paramref name="cniVersion"/> (use <see cref="CniVersion.Latest"/>
    /// when the config's version is unknown or unsupported).</summary>
    public string Serialize(string cniVersion) =>
        JsonSerializer.Serialize(ToWire(cniVersion), CniJsonContext.Output.ErrorWire);

    public void WriteTo(Stream stream, string cniVersion) =>
        JsonSerializer.Serialize(stream, ToWire(cniVersion), CniJsonContext.Output.ErrorWire);

    private ErrorWire ToWire(string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(cniVersion);
        return new ErrorWire { CniVersion = cniVersion, Code = Code, Msg = OneLine(Msg), Details = Details };
    }

    /// <summary>The message with control characters written out (\n, \u0001): runtimes log msg as one line, and a value
    /// quoted in it (a name, a path) may hold anything the runtime was given.</summary>
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var line = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                _ when char.IsControl(c) => line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => line.Append(c),
            };
        }

        return line.ToString();
    }
}
