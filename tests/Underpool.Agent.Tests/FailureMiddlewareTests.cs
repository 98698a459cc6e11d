using Underpool.Agent.Http;
using Underpool.Agent.Ipam;
using Underpool.Store;

namespace Underpool.Agent.Tests;

public sealed class FailureMiddlewareTests
{
    [Fact]
    public void A_store_failure_that_may_have_changed_something_never_also_says_nothing_was_changed()
    {
        var unavailable = new StoreUnavailableException("etcd", "committing the addresses of n/c/eth0", "no answer within 2 s", nothingChanged: false);

        Failure failure = FailureMiddleware.Classify(unavailable);

        Assert.Equal(503, failure.Status);
        Assert.Equal(11, failure.CniCode);
        Assert.Contains("may or may not have been made", failure.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was changed", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_failure_that_changed_nothing_says_so_once()
    {
        var unavailable = new StoreUnavailableException("etcd", "reading pools", "connection refused", nothingChanged: true);

        Failure failure = FailureMiddleware.Classify(unavailable);

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(failure.Detail, "nothing was changed"));
        Assert.DoesNotContain("may or may not", failure.Detail, StringComparison.Ordinal);
    }
}
