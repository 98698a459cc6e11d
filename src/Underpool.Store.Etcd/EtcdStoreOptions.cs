namespace Underpool.Store.Etcd;

/// <summary>Where the etcd store lives and how to reach it; <see cref="Validate"/> checks every field in one place.</summary>
public sealed record EtcdStoreOptions
{
    /// <summary>The default <see cref="CallTimeout"/>: long enough for a commit on a loaded three-member cluster,
    /// short enough that a runtime retrying the ADD (CNI error 11) beats its own timeout.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Client URLs of the cluster's members, e.g. <c>http://10.0.0.5:2379</c> (https with the TLS files).</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>Every key of this store starts with it, so several Underpool installations can share one etcd.</summary>
    public string Prefix { get; init; } = "/underpool";

    /// <summary>PEM client certificate for TLS client authentication; needs <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    /// <summary>PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>PEM certificate authority that signed the servers' certificates (default: the system's trust store).</summary>
    public string? CaFile { get; init; }

    /// <summary>The deadline of every call to etcd; a call that has not answered by then fails with
    /// <see cref="StoreUnavailableException"/> instead of stalling the ADD (a killed leader stalls a call ~9 s).</summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>Every problem with these options, one sentence each naming the field as <paramref name="names"/> calls
    /// it (the property names by default; the daemon passes its flags); empty when they are usable.</summary>
    public IReadOnlyList<string> Problems(EtcdOptionNames? names = null)
    {
        EtcdOptionNames n = names ?? EtcdOptionNames.Properties;
        var problems = new List<string>();
        if (Endpoints is null || Endpoints.Count == 0)
        {
            problems.Add($"{n.Store} needs {n.Endpoints} URL[,URL...], e.g. {n.Endpoints} http://10.0.0.1:2379,http://10.0.0.2:2379");
        }
        else
        {
            problems.AddRange(Endpoints
                .Where(e => !IsClientUrl(e))
                .Select(e => $"{n.Endpoints}: '{e}' is not an etcd client URL (http://HOST:PORT or https://HOST:PORT)"));
        }

        if (string.IsNullOrEmpty(Prefix) || Prefix[0] != '/' || Prefix.EndsWith('/') || Prefix.Any(char.IsWhiteSpace))
        {
            problems.Add($"{n.Prefix} '{Prefix}' must start with '/', not end with '/' and hold no spaces, e.g. /underpool");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            problems.Add($"{n.CertFile} and {n.KeyFile} go together: give both (TLS client authentication) or neither");
        }

        foreach ((string name, string? path) in new[] { (n.CertFile, CertFile), (n.KeyFile, KeyFile), (n.CaFile, CaFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                problems.Add($"{name} {path}: no such file");
            }
        }

        if (CallTimeout <= TimeSpan.Zero || CallTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{n.CallTimeout} {CallTimeout} must be more than zero and at most 5 minutes");
        }

        return problems;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> naming every bad field.</summary>
    public void Validate()
    {
        IReadOnlyList<string> problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid etcd store options: " + string.Join("; ", problems));
        }
    }

    /// <summary>Scheme, host and port only: etcd's gRPC endpoint has no path.</summary>
    private static bool IsClientUrl(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath is "/" or ""
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
