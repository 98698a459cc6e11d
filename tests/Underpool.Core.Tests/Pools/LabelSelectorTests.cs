using Underpool.Core.Pools;
using static Underpool.Core.Tests.TestPools;

namespace Underpool.Core.Tests.Pools;

public sealed class LabelSelectorTests
{
    private static LabelSelector Parse(string text)
    {
        Assert.True(LabelSelector.TryParse(text, out LabelSelector? selector, out string? error), error);
        return selector;
    }

    private static string ErrorOf(string text)
    {
        Assert.False(LabelSelector.TryParse(text, out _, out string? error));
        return error;
    }

    [Theory]
    [InlineData("rack=r1")]
    [InlineData("rack==r1")]
    [InlineData(" rack = r1 ")]
    public void Equals_MatchesOnlyThatValue(string text)
    {
        LabelSelector selector = Parse(text);
        Assert.True(selector.Matches(Labels(("rack", "r1"))));
        Assert.False(selector.Matches(Labels(("rack", "r2"))));
        Assert.False(selector.Matches(Labels()));
    }

    [Fact]
    public void NotEquals_MatchesOtherValuesAndAMissingKey()
    {
        LabelSelector selector = Parse("rack!=r1");
        Assert.False(selector.Matches(Labels(("rack", "r1"))));
        Assert.True(selector.Matches(Labels(("rack", "r2"))));
        Assert.True(selector.Matches(Labels()));
    }

    [Fact]
    public void In_MatchesAnyValueOfTheSet()
    {
        LabelSelector selector = Parse("rack in (r1, r2)");
        Assert.True(selector.Matches(Labels(("rack", "r1"))));
        Assert.True(selector.Matches(Labels(("rack", "r2"))));
        Assert.False(selector.Matches(Labels(("rack", "r3"))));
        Assert.False(selector.Matches(Labels()));
    }

    [Fact]
    public void NotIn_MatchesValuesOutsideTheSetAndAMissingKey()
    {
        LabelSelector selector = Parse("rack notin (r1,r2)");
        Assert.False(selector.Matches(Labels(("rack", "r1"))));
        Assert.True(selector.Matches(Labels(("rack", "r3"))));
        Assert.True(selector.Matches(Labels()));
    }

    [Fact]
    public void Exists_MatchesAnyValueOfTheKey()
    {
        LabelSelector selector = Parse("example.com/sriov");
        Assert.True(selector.Matches(Labels(("example.com/sriov", ""))));
        Assert.False(selector.Matches(Labels(("sriov", "true"))));
    }

    [Fact]
    public void DoesNotExist_MatchesOnlyWithoutTheKey()
    {
        LabelSelector selector = Parse("!draining");
        Assert.True(selector.Matches(Labels(("rack", "r1"))));
        Assert.False(selector.Matches(Labels(("draining", "yes"))));
    }

    [Fact]
    public void EmptyValue_MatchesAnEmptyLabel()
    {
        LabelSelector selector = Parse("rack=");
        Assert.True(selector.Matches(Labels(("rack", ""))));
        Assert.False(selector.Matches(Labels(("rack", "r1"))));
    }

    [Fact]
    public void SeveralRequirements_MustAllMatch_CommasInsideSetsBelongToTheSet()
    {
        LabelSelector selector = Parse("zone in (a,b),rack=r1,!draining");
        Assert.True(selector.Matches(Labels(("zone", "b"), ("rack", "r1"))));
        Assert.False(selector.Matches(Labels(("zone", "b"), ("rack", "r2"))));
        Assert.False(selector.Matches(Labels(("zone", "b"), ("rack", "r1"), ("draining", "1"))));
    }

    [Fact]
    public void ToString_IsCanonical_SortedKeysSortedSetsSingleEquals() =>
        Assert.Equal(
            "draining,rack=r1,!x,zone in (a,b),zz notin (q)",
            Parse("  zone in ( b , a, b ),  rack==r1, zz notin(q), draining, ! x").ToString());

    [Theory]
    [InlineData("rack=r1")]
    [InlineData("a!=b,c in (d,e),f notin (g),h,!i")]
    public void ToString_ParsesBackToTheSameText(string text) =>
        Assert.Equal(Parse(text).ToString(), Parse(Parse(text).ToString()).ToString());

    [Theory]
    [InlineData("rack in (a,b", "node selector 'rack in (a,b': missing ')' after 'b'")]
    [InlineData("rack in (", "node selector 'rack in (': missing ')' after '('")]
    [InlineData("rack in ()", "node selector 'rack in ()': expected a value after '('")]
    [InlineData("rack in (a,)", "node selector 'rack in (a,)': expected a value after 'a,'")]
    [InlineData("rack in (a b)", "node selector 'rack in (a b)': expected ',' or ')' after 'a' but found 'b'")]
    [InlineData("rack in a,b", "node selector 'rack in a,b': expected '(' after 'rack in'")]
    [InlineData("rack >= 3", "node selector 'rack >= 3': expected an operator (=, ==, !=, in, notin) after 'rack' but found '>= 3'")]
    [InlineData("rack=r1 zone=a", "node selector 'rack=r1 zone=a': expected ',' or the end after 'rack=r1' but found 'zone=a'")]
    [InlineData("rack=r1,,zone=a", "node selector 'rack=r1,,zone=a': expected a requirement after 'rack=r1' and ','")]
    [InlineData("rack=r1,", "node selector 'rack=r1,': expected a requirement after 'rack=r1' and ','")]
    [InlineData(",rack=r1", "node selector ',rack=r1': expected a requirement before ','")]
    [InlineData("=r1", "node selector '=r1': expected a label key but found '=r1'")]
    [InlineData("!", "node selector '!': expected a label key after '!'")]
    [InlineData("!rack=r1", "node selector '!rack=r1': expected ',' or the end after '!rack' but found '=r1'")]
    [InlineData("rack=-r1", "node selector 'rack=-r1': label value '-r1' is not valid: expected up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")]
    [InlineData("rack in (a,b_)", "node selector 'rack in (a,b_)': label value 'b_' is not valid: expected up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")]
    [InlineData("Example.com/rack=a", "node selector 'Example.com/rack=a': the prefix 'Example.com' of label key 'Example.com/rack' is not a DNS subdomain (lowercase letters, digits, '-' and '.', up to 253 characters)")]
    [InlineData("-rack=a", "node selector '-rack=a': label key '-rack' is not valid: the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS prefix and '/'")]
    [InlineData("a/b/c", "node selector 'a/b/c': label key 'a/b/c' is not valid: the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS prefix and '/'")]
    [InlineData("", "node selector is empty: expected requirements such as 'rack=r1' or 'zone in (a,b)'")]
    [InlineData("   ", "node selector is empty: expected requirements such as 'rack=r1' or 'zone in (a,b)'")]
    public void TryParse_BadInput_NamesThePartAndWhatWasExpected(string text, string expected) =>
        Assert.Equal(expected, ErrorOf(text));

    [Fact]
    public void TryParse_ValueLongerThan63_IsRefused() =>
        Assert.Contains("is not valid", ErrorOf("rack=" + new string('a', 64)), StringComparison.Ordinal);

    [Fact]
    public void TryParse_ValueOf63_IsAccepted() => Parse("rack=" + new string('a', 63));
}
