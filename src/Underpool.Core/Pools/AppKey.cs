namespace Underpool.Core.Pools;

/// <summary>An application's key, "namespace/name": what an application pool is bound to and CNI_ARGS UNDERPOOL_APP
/// names.</summary>
public static class AppKey
{
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < key.Length - 1 && key.IndexOf('/', slash + 1) < 0 && !key.Any(char.IsWhiteSpace);
    }
}
