using System.Globalization;
using System.Text;
using Underpool.Core.Pools;

namespace Underpool.Cli.Import;

/// <summary>A pool name made from another IPAM's pool object name, following Underpool's pool name rule (a DNS-1123
/// subdomain of at most 63 characters).</summary>
internal static class DerivedPoolName
{
    public static string From(string name)
    {
        // Lower case, anything else than letters, digits, '.' and '-' a '-', then each dot-separated part trimmed of the
        // '-' it may not start or end with.
        var mapped = new StringBuilder(name.Length);
        foreach (char c in name.ToLowerInvariant())
        {
            mapped.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' ? c : '-');
        }

        string cleaned = string.Join('.', mapped.ToString().Split('.').Select(p => p.Trim('-')).Where(p => p.Length > 0));
        if (PoolName.IsValid(cleaned))
        {
            return cleaned;
        }

        // Too long (or nothing left): a stable hash of the original keeps two long names apart.
        string hash = Fnv1a(name).ToString("x8", CultureInfo.InvariantCulture);
        string head = cleaned.Length > 54 ? cleaned[..54].TrimEnd('-', '.') : cleaned;
        string candidate = head.Length > 0 ? $"{head}-{hash}" : $"imported-{hash}";
        return PoolName.IsValid(candidate) ? candidate : $"imported-{hash}";
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
