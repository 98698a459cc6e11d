using System.Diagnostics;
using System.Net.Sockets;
using Underpool.Core.Net;
using Underpool.Probe.Wire;

namespace Underpool.Probe.Linux;

/// <summary>Probes over AF_PACKET sockets opened inside the uplink's namespace: one socket per address, all opened in
/// one trip into the namespace, then probed in parallel from the thread pool.</summary>
public sealed class PacketProber : IAddressProber
{
    private const int FrameBuffer = 1514;

    public async Task<IReadOnlyList<ProbeAnswer>> ProbeAsync(
        Uplink uplink, IReadOnlyList<IpAddress> addresses, ProbeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(settings);
        if (addresses.Count == 0)
        {
            return [];
        }

        PacketSocket[] sockets = await NamespaceThread.RunAsync(uplink.NetnsPath, () => OpenAll(uplink, addresses)).ConfigureAwait(false);
        try
        {
            return await Task.WhenAll(addresses.Select((a, i) => ProbeOneAsync(sockets[i], a, settings, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            // Not awaited: a packet socket's close waits out an RCU grace period, which the ADD must not pay.
            foreach (PacketSocket socket in sockets)
            {
                socket.CloseInBackground();
            }
        }
    }

    // Runs inside the namespace: synchronous only.
    private static PacketSocket[] OpenAll(Uplink uplink, IReadOnlyList<IpAddress> addresses)
    {
        var sockets = new List<PacketSocket>(addresses.Count);
        try
        {
            foreach (IpAddress address in addresses)
            {
                sockets.Add(PacketSocket.Open(
                    uplink.Interface, address.Family == IpFamily.V4 ? ArpProbeFrame.EtherType : NdpProbeFrame.EtherType));
            }

            return [.. sockets];
        }
        catch (Exception e)
        {
            foreach (PacketSocket socket in sockets)
            {
                socket.Dispose();
            }

            throw e is ProbeException
                ? new ProbeException($"{e.Message} (uplink {uplink})", e)
                : new ProbeException($"cannot open a probe socket on uplink {uplink}: {e.Message}", e);
        }
    }

    private static async Task<ProbeAnswer> ProbeOneAsync(
        PacketSocket socket, IpAddress address, ProbeSettings settings, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        bool v4 = address.Family == IpFamily.V4;
        byte[] probe = new byte[Math.Max(ArpProbeFrame.Length, NdpProbeFrame.Length)];
        int length = v4 ? ArpProbeFrame.Write(probe, socket.Mac, address) : NdpProbeFrame.Write(probe, socket.Mac, address);
        byte[] frame = new byte[FrameBuffer];
        MacAddress? contender = null;
        for (int attempt = 0; attempt < settings.Attempts && contender is null; attempt++)
        {
            await socket.Socket.SendAsync(probe.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(settings.Timeout);
            try
            {
                while (true)
                {
                    int received = await socket.Socket.ReceiveAsync(frame, SocketFlags.None, wait.Token).ConfigureAwait(false);
                    ReadOnlySpan<byte> got = frame.AsSpan(0, received);
                    ProbeFinding finding = v4
                        ? ArpProbeFrame.Classify(got, socket.Mac, address, out MacAddress from)
                        : NdpProbeFrame.Classify(got, socket.Mac, address, out from);
                    if (finding == ProbeFinding.Held)
                    {
                        return Answer(address, ProbeFinding.Held, from, started, socket.Mac);
                    }

                    // Another prober: keep listening to the end of this round, since a holder's answer outweighs it.
                    contender ??= finding == ProbeFinding.Contended ? from : null;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This round's wait is over without a holder answering: probe again or conclude.
            }
        }

        return contender is { } other
            ? Answer(address, ProbeFinding.Contended, other, started, socket.Mac)
            : Answer(address, ProbeFinding.Clear, null, started, socket.Mac);
    }

    private static ProbeAnswer Answer(IpAddress address, ProbeFinding finding, MacAddress? by, long started, MacAddress own) =>
        new(address, finding, by, Stopwatch.GetElapsedTime(started)) { ProbedFrom = own };
}
