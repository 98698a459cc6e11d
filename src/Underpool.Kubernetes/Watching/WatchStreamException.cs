namespace Underpool.Kubernetes.Watching;

/// <summary>A watch stream carried something that is not a watch event (a line that is not JSON, an unknown type, no
/// object). An <see cref="IOException"/>: the stream is given up and the follower backs off and watches again, as after
/// a broken connection.</summary>
internal sealed class WatchStreamException : IOException
{
    public WatchStreamException()
    {
    }

    public WatchStreamException(string message)
        : base(message)
    {
    }

    public WatchStreamException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
