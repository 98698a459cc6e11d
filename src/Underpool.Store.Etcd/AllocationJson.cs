using System.Text.Json;
using Google.Protobuf;
using Underpool.Store.Documents;

namespace Underpool.Store.Etcd;

/// <summary>Converts allocation records to and from the JSON values of alloc and attach keys.</summary>
internal static class AllocationJson
{
    public static ByteString Write(AllocationRecord record) =>
        ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(Document(record), AllocationJsonContext.Default.AllocationDocument));

    public static ByteString Write(IReadOnlyList<AllocationRecord> records) =>
        ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(
            records.Select(Document).ToList(), AllocationJsonContext.Default.ListAllocationDocument));

    public static AllocationRecord ReadOne(ByteString value) =>
        Record(Deserialize(value, AllocationJsonContext.Default.AllocationDocument));

    public static List<AllocationRecord> ReadMany(ByteString value) =>
        Deserialize(value, AllocationJsonContext.Default.ListAllocationDocument).Select(Record).ToList();

    private static T Deserialize<T>(ByteString value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, type) ?? throw new InvalidDataException("the store holds an allocation that is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the store holds an allocation that is not valid JSON: {e.Message}", e);
        }
    }

    private static AllocationDocument Document(AllocationRecord record) => new()
    {
        Pool = record.Pool,
        PoolGeneration = record.PoolGeneration,
        Address = StoredText.Text(record.Address),
        Network = record.Attachment.Network,
        ContainerId = record.Attachment.ContainerId,
        IfName = record.Attachment.IfName,
        Node = record.Node,
        NetNs = record.NetNs,
        PodNamespace = record.PodNamespace,
        PodName = record.PodName,
        PodUid = record.PodUid,
        CreatedAt = StoredText.Text(record.CreatedAt),
        Static = record.Static ? true : null,
        RuntimeContainerId = record.RuntimeContainerId,
        OwnerKind = record.OwnerKind,
        OwnerName = record.OwnerName,
        Mac = record.Mac,
    };

    private static AllocationRecord Record(AllocationDocument document) => new()
    {
        Pool = document.Pool,
        PoolGeneration = document.PoolGeneration,
        Address = StoredText.Address(document.Address),
        Attachment = new AttachmentKey(document.Network, document.ContainerId, document.IfName),
        Node = document.Node,
        NetNs = document.NetNs,
        PodNamespace = document.PodNamespace,
        PodName = document.PodName,
        PodUid = document.PodUid,
        CreatedAt = StoredText.Instant(document.CreatedAt),
        Static = document.Static ?? false,
        RuntimeContainerId = document.RuntimeContainerId,
        OwnerKind = document.OwnerKind,
        OwnerName = document.OwnerName,
        Mac = document.Mac,
    };
}
