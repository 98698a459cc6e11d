using System.Runtime.InteropServices;

namespace Underpool.Plugin;

/// <summary>Descriptor 1 through write(2), where the result or the CNI error goes.</summary>
/// <remarks>Not Console's stream: its first write sets up the terminal (a signal-handling thread, SIGCONT and SIGCHLD
/// handlers), a thread start on every ADD that a plugin writing to a pipe never needs (issue 16). Not a FileStream on
/// the descriptor either: on a regular file it writes with pwrite at its own offset, which the shell that opened the
/// file never sees, so a later write of the shell's would overwrite ours.</remarks>
internal sealed partial class StandardOutput : Stream
{
    private const int Descriptor = 1;
    private const int Interrupted = 4; // EINTR

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            nint written = Write(Descriptor, buffer, buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
            }
            else if (Marshal.GetLastPInvokeError() is int error and not Interrupted)
            {
                throw new IOException($"cannot write to stdout: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
        // Nothing is buffered: every Write has reached the descriptor when it returns.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int descriptor, ReadOnlySpan<byte> buffer, nint count);
}
