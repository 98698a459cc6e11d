using Underpool.Cli.Import;
using Underpool.Core.Pools;

namespace Underpool.Cli.Tests.Import;

public sealed class DerivedPoolNameTests
{
    [Theory]
    [InlineData("vlan30-v4", "vlan30-v4")]
    [InlineData("dc-vlan10-fd00-10---64", "dc-vlan10-fd00-10---64")]
    [InlineData("Rack_1 Pool", "rack-1-pool")]
    [InlineData("-edge.-dots-.", "edge.dots")]
    public void A_name_is_kept_when_it_follows_the_pool_name_rule_and_mapped_onto_it_otherwise(string name, string expected)
    {
        Assert.Equal(expected, DerivedPoolName.From(name));
    }

    [Fact]
    public void Long_names_are_cut_with_a_hash_of_the_whole_so_two_of_them_stay_apart()
    {
        string a = DerivedPoolName.From(new string('a', 80) + "-one");
        string b = DerivedPoolName.From(new string('a', 80) + "-two");

        Assert.True(PoolName.IsValid(a) && PoolName.IsValid(b), $"{a} / {b}");
        Assert.NotEqual(a, b);
        Assert.StartsWith(new string('a', 54), a, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_nothing_usable_gets_a_stable_made_up_one()
    {
        Assert.Equal(DerivedPoolName.From("___"), DerivedPoolName.From("___"));
        Assert.StartsWith("imported-", DerivedPoolName.From("___"), StringComparison.Ordinal);
    }
}
