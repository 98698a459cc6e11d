namespace Underpool.Daemon.Options;

/// <summary>A group of underpoold's flags, read as they come and then put into the options, every problem added to
/// the errors so that all of them are reported at once. <see cref="DaemonOptionsParser"/> lists the groups in one
/// place: a new feature's flags are a new group there.</summary>
internal interface IFlagGroup
{
    /// <summary>True if <paramref name="flag"/> is one of this group's flags that take no value.</summary>
    bool TryReadSwitch(string flag) => false;

    /// <summary>True if <paramref name="flag"/> is this group's; a bad value adds its error and is otherwise ignored.</summary>
    bool TryRead(string flag, string value, List<string> errors);

    /// <summary>The options with what this group's flags said, checked together once all flags are read.</summary>
    DaemonOptions Apply(DaemonOptions options, List<string> errors);
}
