using System.Collections;
using Underpool.Plugin;

// underpool: the CNI IPAM plugin. The runtime's main plugin execs it with CNI_* in the environment and the
// network config on stdin; it asks the node's agent and prints the result (or a CNI error) on stdout.
using Stream stdout = Console.OpenStandardOutput();
try
{
    var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
    foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
    {
        environment[(string)entry.Key] = entry.Value as string;
    }

    using Stream stdin = Console.OpenStandardInput();
    return PluginApp.Run(environment, stdin, stdout);
}
catch (Exception e)
{
    // PluginApp.Run catches everything of its own; this is for what fails before it starts.
    return PluginApp.Crash(stdout, e);
}
