using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Underpool.Probe.Linux;

/// <summary>Runs a short synchronous piece of work inside another network namespace, on a thread of its own.</summary>
/// <remarks>setns changes only the calling thread, and every thread that thread starts inherits the namespace, so
/// the work runs on a dedicated thread that enters, works and leaves in a finally; the work must not await or start
/// tasks (a thread-pool thread created meanwhile would stay in the namespace). A socket keeps the namespace it was
/// created in, so sockets opened here may be used from any thread afterwards. The result is published only after
/// leaving, and continuations run on the thread pool, never on this thread.</remarks>
public static class NamespaceThread
{
    /// <summary>Runs <paramref name="work"/> inside the namespace at <paramref name="netnsPath"/> (a bind mount such
    /// as /var/run/netns/NAME or /proc/PID/ns/net), or in the caller's namespace when it is null.</summary>
    public static Task<T> RunAsync<T>(string? netnsPath, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (netnsPath is null)
        {
            try
            {
                return Task.FromResult(work());
            }
            catch (Exception e)
            {
                return Task.FromException<T>(e);
            }
        }

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => RunInside(netnsPath, work, done)) { IsBackground = true, Name = "underpool-netns" };
        thread.Start();
        return done.Task;
    }

    private static void RunInside<T>(string netnsPath, Func<T> work, TaskCompletionSource<T> done)
    {
        T result;
        try
        {
            result = Enter(netnsPath, work);
        }
        catch (Exception e)
        {
            done.SetException(e);
            return;
        }

        done.SetResult(result);
    }

    private static T Enter<T>(string netnsPath, Func<T> work)
    {
        // /proc/thread-self: this thread's namespace, which is what we must return to (not the process's).
        using SafeFileHandle original = File.OpenHandle("/proc/thread-self/ns/net");
        SafeFileHandle target;
        try
        {
            target = File.OpenHandle(netnsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeException($"cannot open network namespace {netnsPath}: {e.Message}", e);
        }

        using (target)
        {
            if (NativeMethods.SetNamespace((int)target.DangerousGetHandle(), NativeMethods.CloneNewNet) != 0)
            {
                throw new ProbeException($"setns into {netnsPath} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }

        try
        {
            return work();
        }
        finally
        {
            if (NativeMethods.SetNamespace((int)original.DangerousGetHandle(), NativeMethods.CloneNewNet) != 0)
            {
                // The thread ends right after this, so the namespace it is stuck in dies with it; nothing else ran here.
                Environment.FailFast($"setns back out of {netnsPath} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }
}
