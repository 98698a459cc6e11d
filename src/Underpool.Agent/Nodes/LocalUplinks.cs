namespace Underpool.Agent.Nodes;

/// <summary>The MACs of the uplinks this agent has probed on, learnt from its own probes. The heartbeat puts them in
/// the node record, so every other agent that sees one of them answer or probe knows it is this node.</summary>
public sealed class LocalUplinks
{
    private readonly Lock _lock = new();
    private string[] _macs = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sorted, lower-case "aa:bb:cc:dd:ee:ff".</summary>
    public IReadOnlyList<string> Macs
    {
        get
        {
            lock (_lock)
            {
                return _macs;
            }
        }
    }

    public bool Contains(string mac)
    {
        lock (_lock)
        {
            return Array.BinarySearch(_macs, mac, StringComparer.Ordinal) >= 0;
        }
    }

    /// <summary>Remembers <paramref name="mac"/>; true when it was not known yet (the node record needs it).</summary>
    public bool Add(string mac)
    {
        ArgumentException.ThrowIfNullOrEmpty(mac);
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (Array.BinarySearch(_macs, mac, StringComparer.Ordinal) >= 0)
            {
                return false;
            }

            _macs = [.. _macs.Append(mac).Order(StringComparer.Ordinal)];
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
        return true;
    }

    /// <summary>Completes when the next new MAC is learnt: the heartbeat records it at once, the quarantine frees what
    /// it answered for.</summary>
    public Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }
}
