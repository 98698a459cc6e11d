using System.CommandLine;
using Underpool.Api.Contracts;
using Underpool.Cli.Commands;

namespace Underpool.Cli.Tests;

public sealed class PoolCreateMappingTests
{
    private static PoolDefinition Map(params string[] args)
    {
        var create = new PoolCreateCommand(new GlobalOptions());
        ParseResult parse = create.Command.Parse(args);
        Assert.Empty(parse.Errors);
        return create.ToDefinition(parse);
    }

    [Fact]
    public void Name_and_subnet_alone_give_a_pool_with_empty_lists_and_no_flags()
    {
        PoolDefinition pool = Map("rack1", "--subnet", "10.20.0.0/24");

        Assert.Equal("rack1", pool.Name);
        Assert.Equal("10.20.0.0/24", pool.Subnet);
        Assert.Empty(pool.Ranges);
        Assert.Empty(pool.Exclude);
        Assert.Empty(pool.Routes);
        Assert.Empty(pool.Nodes);
        Assert.Null(pool.Gateway);
        Assert.Null(pool.Vlan);
        Assert.Null(pool.NodeSelector);
        Assert.False(pool.Default);
        Assert.False(pool.Disabled);
    }

    [Fact]
    public void Ranges_are_split_on_commas_and_repeated_options_add_up()
    {
        PoolDefinition pool = Map("p", "--subnet", "10.0.0.0/24", "--ranges", "10.0.0.10-10.0.0.20, 10.0.0.30", "--ranges", "10.0.0.40-10.0.0.50");

        Assert.Equal(["10.0.0.10-10.0.0.20", "10.0.0.30", "10.0.0.40-10.0.0.50"], pool.Ranges);
    }

    [Fact]
    public void Excluded_addresses_are_split_on_commas()
    {
        PoolDefinition pool = Map("p", "--subnet", "10.0.0.0/24", "--exclude", "10.0.0.5,10.0.0.6");

        Assert.Equal(["10.0.0.5", "10.0.0.6"], pool.Exclude);
    }

    [Fact]
    public void A_route_with_a_gateway_and_one_without_both_map_in_order()
    {
        PoolDefinition pool = Map("p", "--subnet", "10.0.0.0/24", "--route", "0.0.0.0/0,10.0.0.1", "--route", "10.9.0.0/16");

        Assert.Collection(
            pool.Routes,
            r =>
            {
                Assert.Equal("0.0.0.0/0", r.Dst);
                Assert.Equal("10.0.0.1", r.Gw);
            },
            r =>
            {
                Assert.Equal("10.9.0.0/16", r.Dst);
                Assert.Null(r.Gw);
            });
    }

    [Fact]
    public void Nodes_selector_gateway_vlan_and_flags_map_to_their_fields()
    {
        PoolDefinition pool = Map(
            "p", "--subnet", "10.0.0.0/24", "--gateway", "10.0.0.1", "--vlan", "120", "--nodes", "n1,n2",
            "--node-selector", "rack in (r1,r2)", "--default", "--disabled");

        Assert.Equal("10.0.0.1", pool.Gateway);
        Assert.Equal(120, pool.Vlan);
        Assert.Equal(["n1", "n2"], pool.Nodes);
        Assert.Equal("rack in (r1,r2)", pool.NodeSelector);
        Assert.True(pool.Default);
        Assert.True(pool.Disabled);
    }

    [Fact]
    public void Values_the_agent_judges_pass_through_unchanged()
    {
        // Not a CIDR, not an address: the agent is the single validator, so the CLI sends them as typed.
        PoolDefinition pool = Map("p", "--subnet", "not-a-cidr", "--gateway", "nope", "--route", "x,y");

        Assert.Equal("not-a-cidr", pool.Subnet);
        Assert.Equal("nope", pool.Gateway);
        Assert.Equal("x", Assert.Single(pool.Routes).Dst);
    }
}
