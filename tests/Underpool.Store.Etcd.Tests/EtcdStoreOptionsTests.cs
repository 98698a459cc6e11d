namespace Underpool.Store.Etcd.Tests;

public sealed class EtcdStoreOptionsTests
{
    private static readonly EtcdStoreOptions Valid = new() { Endpoints = ["http://127.0.0.1:2379", "https://etcd-2.example:2379"] };

    [Fact]
    public void Endpoints_with_the_defaults_are_valid()
    {
        Assert.Empty(Valid.Problems());
        Assert.Equal(("/underpool", TimeSpan.FromSeconds(2)), (Valid.Prefix, Valid.CallTimeout));
    }

    [Theory]
    [InlineData("the etcd store needs Endpoints URL")]
    public void No_endpoints_is_refused(string problem) =>
        Assert.StartsWith(problem, Assert.Single(new EtcdStoreOptions().Problems()), StringComparison.Ordinal);

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("grpc://127.0.0.1:2379")]
    [InlineData("http://127.0.0.1:2379/v3")]
    public void An_endpoint_that_is_not_a_plain_http_url_is_refused_by_name(string endpoint) =>
        Assert.Contains($"'{endpoint}'", Assert.Single((Valid with { Endpoints = [endpoint] }).Problems()), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("underpool")]
    [InlineData("/underpool/")]
    [InlineData("/")]
    [InlineData("/under pool")]
    public void A_prefix_not_of_the_form_slash_name_is_refused(string prefix) =>
        Assert.StartsWith($"Prefix '{prefix}' must start with '/'", Assert.Single((Valid with { Prefix = prefix }).Problems()), StringComparison.Ordinal);

    [Fact]
    public void A_certificate_without_its_key_is_refused()
    {
        string certificate = Path.GetTempFileName();
        try
        {
            Assert.StartsWith("CertFile and KeyFile go together", Assert.Single((Valid with { CertFile = certificate }).Problems()), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Fact]
    public void A_missing_tls_file_is_refused_by_name() =>
        Assert.Equal("CaFile /nonexistent/ca.pem: no such file", Assert.Single((Valid with { CaFile = "/nonexistent/ca.pem" }).Problems()));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(301)]
    public void A_call_timeout_out_of_range_is_refused(int seconds) =>
        Assert.StartsWith("CallTimeout ", Assert.Single((Valid with { CallTimeout = TimeSpan.FromSeconds(seconds) }).Problems()), StringComparison.Ordinal);

    [Fact]
    public void The_store_refuses_invalid_options_naming_every_bad_field()
    {
        var options = new EtcdStoreOptions { Prefix = "x", CallTimeout = TimeSpan.Zero };

        ArgumentException e = Assert.Throws<ArgumentException>(() => new EtcdIpamStore(options));

        Assert.All(["needs Endpoints", "Prefix 'x'", "CallTimeout 00:00:00"], field => Assert.Contains(field, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_program_sees_every_problem_under_its_own_flag_names()
    {
        var flags = new EtcdOptionNames("--store etcd", "--etcd-endpoints", "--etcd-prefix", "--etcd-cert", "--etcd-key", "--etcd-ca", "--store-timeout");

        IReadOnlyList<string> problems = new EtcdStoreOptions { Prefix = "x", CaFile = "/nonexistent/ca.pem" }.Problems(flags);

        Assert.Equal(
            [
                "--store etcd needs --etcd-endpoints URL[,URL...], e.g. --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379",
                "--etcd-prefix 'x' must start with '/', not end with '/' and hold no spaces, e.g. /underpool",
                "--etcd-ca /nonexistent/ca.pem: no such file",
            ],
            problems);
    }
}
