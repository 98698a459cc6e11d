namespace Underpool.Core.Pools;

/// <summary>Whether an ADD first checks that the pool's gateway answers on the uplink's segment.</summary>
public enum GatewayCheck
{
    Off,

    /// <summary>An unreachable gateway fails the ADD.</summary>
    On,

    /// <summary>An unreachable gateway is logged; the ADD goes on.</summary>
    Warn,
}
