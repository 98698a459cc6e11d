using System.Buffers;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using Underpool.Kubernetes.Api;
using Underpool.Kubernetes.Watching;

namespace Underpool.Kubernetes.Tests.Watching;

/// <summary>The watch body as the API server writes it: newline-delimited {"type","object"} events, read however the
/// bytes arrive.</summary>
public sealed class WatchStreamReaderTests
{
    private static readonly JsonTypeInfo<V1Pod> PodJson = SourceGenerationContext.Default.V1Pod;

    private const string Added = """{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-0","namespace":"shop","uid":"u-1","resourceVersion":"11","annotations":{"underpool.io/pools":"{\"ipv4\":[\"café-✓\"]}"}},"spec":{"nodeName":"node1"},"status":{"phase":"Running"}}}""";
    private const string Modified = """{"type":"MODIFIED","object":{"metadata":{"name":"web-0","namespace":"shop","uid":"u-1","resourceVersion":"12","deletionTimestamp":"2026-11-30T18:00:00Z"},"status":{"phase":"Succeeded"}}}""";
    private const string Deleted = """{"type":"DELETED","object":{"metadata":{"name":"web-0","namespace":"shop","uid":"u-1","resourceVersion":"13"}}}""";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Events_split_across_reads_at_any_byte_are_read_whole(int bytesPerRead)
    {
        List<WatchEvent<V1Pod>> events = await ReadAllAsync($"{Added}\n{Modified}\n{Deleted}\n", bytesPerRead);

        Assert.Equal([WatchEventKind.Added, WatchEventKind.Modified, WatchEventKind.Deleted], events.Select(e => e.Kind));
        Assert.Equal(["11", "12", "13"], events.Select(e => e.Object!.Metadata.ResourceVersion));
        Assert.Equal("""{"ipv4":["café-✓"]}""", events[0].Object!.Metadata.Annotations["underpool.io/pools"]);
        Assert.Equal(("node1", "Running"), (events[0].Object!.Spec.NodeName, events[0].Object!.Status.Phase));
        Assert.Equal(new DateTime(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc), events[1].Object!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_bookmark_carries_only_its_resourceVersion()
    {
        WatchEvent<V1Pod> bookmark = Assert.Single(await ReadAllAsync("""{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"4711"}}}""" + "\n"));

        Assert.Equal(WatchEventKind.Bookmark, bookmark.Kind);
        Assert.Equal("4711", bookmark.Object!.Metadata.ResourceVersion);
        Assert.Null(bookmark.Object.Metadata.Name);
    }

    [Theory]
    [InlineData(410, "Expired", "too old resource version: 5 (9)")]
    [InlineData(500, "InternalError", "etcdserver: request timed out")]
    public async Task An_ERROR_event_carries_its_Status_and_no_object(int code, string reason, string message)
    {
        string line = $$$"""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{{message}}}","reason":"{{{reason}}}","code":{{{code}}}}}""";

        WatchEvent<V1Pod> error = Assert.Single(await ReadAllAsync(line + "\n"));

        Assert.Equal(WatchEventKind.Error, error.Kind);
        Assert.Null(error.Object);
        Assert.Equal((code, reason, message), (error.Status!.Code, error.Status.Reason, error.Status.Message));
    }

    [Fact]
    public async Task The_object_may_come_before_the_type_and_unknown_fields_are_skipped()
    {
        WatchEvent<V1Pod> e = Assert.Single(await ReadAllAsync("""{"object":{"metadata":{"name":"web-0","resourceVersion":"3"}},"extra":[1,{"a":2}],"type":"MODIFIED"}""" + "\n"));

        Assert.Equal((WatchEventKind.Modified, "web-0"), (e.Kind, e.Object!.Metadata.Name));
    }

    [Fact]
    public async Task A_stream_that_ends_yields_what_it_carried_blank_lines_CRLF_and_a_last_line_without_newline_included()
    {
        List<WatchEvent<V1Pod>> events = await ReadAllAsync($"\n{Added}\r\n  \n{Deleted}", 5);

        Assert.Equal([WatchEventKind.Added, WatchEventKind.Deleted], events.Select(e => e.Kind));
        Assert.Empty(await ReadAllAsync(""));
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_of_an_event_is_an_error_after_the_events_before_it()
    {
        var seen = new List<WatchEventKind>();

        WatchStreamException e = await Assert.ThrowsAsync<WatchStreamException>(async () =>
        {
            await foreach (WatchEvent<V1Pod> item in WatchStreamReader.ReadAsync(new ChunkedStream($"{Added}\n{Modified[..40]}", 16), PodJson, default))
            {
                seen.Add(item.Kind);
            }
        });

        Assert.Equal([WatchEventKind.Added], seen);
        Assert.StartsWith("not a watch event (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"'{Modified[..40]}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""[{"type":"ADDED"}]""")]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""{"type":"ADDED","object":null}""")]
    [InlineData("""{"type":"SHRUG","object":{"metadata":{"name":"web-0"}}}""")]
    [InlineData("""{"type":"ADDED","object":{"metadata":{"name":5}}}""")]
    public async Task A_line_that_is_not_an_event_is_a_clear_error_quoting_it(string line)
    {
        WatchStreamException e = await Assert.ThrowsAsync<WatchStreamException>(() => ReadAllAsync(line + "\n"));

        Assert.StartsWith("not a watch event", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"'{line}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_line_is_quoted_by_its_start_and_length()
    {
        string line = $$$"""{"type":"ADDED","object":{"metadata":{"name":"{{{new string('x', 500)}}}"}}""";

        WatchStreamException e = Assert.Throws<WatchStreamException>(() => WatchStreamReader.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), PodJson));

        Assert.EndsWith($"'{line[..120]}…' ({line.Length} bytes)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watch_URL_asks_for_bookmarks_from_the_resourceVersion_with_the_field_selector_escaped()
    {
        Assert.Equal(
            "api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dnode%201&resourceVersion=42&timeoutSeconds=270&watch=true",
            WatchingClient.WatchUri("api/v1/pods", "spec.nodeName=node 1", "42", 270));
        Assert.Equal(
            "apis/apps/v1/deployments?allowWatchBookmarks=true&resourceVersion=7&timeoutSeconds=240&watch=true",
            WatchingClient.WatchUri("apis/apps/v1/deployments", null, "7", 240));
    }

    private static async Task<List<WatchEvent<V1Pod>>> ReadAllAsync(string body, int bytesPerRead = 4096)
    {
        var events = new List<WatchEvent<V1Pod>>();
        await foreach (WatchEvent<V1Pod> item in WatchStreamReader.ReadAsync(new ChunkedStream(body, bytesPerRead), PodJson, default))
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>A body that arrives at most <c>bytesPerRead</c> bytes at a time, as a slow connection delivers it.</summary>
    private sealed class ChunkedStream(string body, int bytesPerRead) : MemoryStream(Encoding.UTF8.GetBytes(body))
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, bytesPerRead)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, bytesPerRead), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
