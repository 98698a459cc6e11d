namespace Underpool.Cni;

/// <summary>The CNI spec versions this plugin speaks, and what each version changes on the wire.</summary>
public static class CniVersion
{
    /// <summary>The newest version; used for answers when the caller's version is unknown.</summary>
    public const string Latest = "1.1.0";

    /// <summary>Every supported version, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    /// <summary>The supported versions as one readable list, for error messages.</summary>
    public static string SupportedList { get; } = string.Join(", ", Supported);

    public static bool IsSupported(string? version) => Rank(version) > 0;

    /// <summary>STATUS and GC exist from 1.1.0 on.</summary>
    public static bool HasGcAndStatus(string? version) => Rank(version) >= 5;

    /// <summary>0.3.x and 0.4.0 results carry <c>"version":"4"|"6"</c> in each <c>ips[]</c> entry.</summary>
    public static bool UsesIpVersionField(string? version) => Rank(version) is >= 1 and <= 3;

    /// <summary>DEL and CHECK receive <c>prevResult</c> from 0.4.0 on.</summary>
    public static bool HasPrevResultOnDelCheck(string? version) => Rank(version) >= 3;

    /// <summary>CHECK exists from 0.4.0 on.</summary>
    public static bool SupportsCheck(string? version) => Rank(version) >= 3;

    // 0 = unsupported; otherwise the position in Supported, so comparisons need no version parsing.
    private static int Rank(string? version) => version switch
    {
        "0.3.0" => 1,
        "0.3.1" => 2,
        "0.4.0" => 3,
        "1.0.0" => 4,
        "1.1.0" => 5,
        _ => 0,
    };
}
