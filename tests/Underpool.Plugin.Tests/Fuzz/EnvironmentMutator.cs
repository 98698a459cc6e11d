using System.Text;

namespace Underpool.Plugin.Tests.Fuzz;

/// <summary>Damages the CNI_* variables: unset, empty, odd characters, bytes that are not UTF-8, lengths past every
/// limit, and the CNI_ARGS a careless runtime or user might send. Never a NUL: an environment cannot hold one.</summary>
internal sealed class EnvironmentMutator
{
    private static readonly string[] Variables = ["CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_ARGS", "CNI_ARGS", "CNI_PATH"];

    private static readonly string[] OddText =
    [
        "", " ", "add", "ADD ", "VERSION", "STATUS", "GC", "a/b", "-x", "_x", "x.y-z_1", "eth0:1", ".", "..", "eth 0", "eth\t0",
        "abcdefghijklmnop", "abcdefghijklmno", "é", "\U0001F4A5", "\uFFFD", "relative/netns", "/var/run/netns/a\u0001b", "/",
        new string('a', 256), new string('b', 255), "/" + new string('p', 4100), "\u007f",
    ];

    private static readonly string[] OddArgs =
    [
        "IP=172.20.1.50", "IP=172.20.1.50/33", "IP=1.1.1.1/abc", "IP=172.20.1.50/16", "IP=172.20.1.51,fd00:20:1::51", "IP=,,,",
        "IP=172.20.1.50,172.20.1.51", "IP=fd00:20:1::5/200", "IP=::ffff:172.20.1.52", "novalue", "=x", ";;;", "A=B=C", "K8S_POD_NAME=",
        "UNDERPOOL_STATIC=true", "UNDERPOOL_STATIC=maybe", "UNDERPOOL_APP=a/b/c", "UNDERPOOL_APP=web", "UNDERPOOL_OWNER=StatefulSet",
        "UNDERPOOL_OWNER=StatefulSet/web", "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_UID=u",
        "K8S_POD_NAMESPACE=" + new string('n', 30_000),
    ];

    private static readonly byte[][] NotUtf8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80, 0x80], [0xe2, 0x82]];

    private readonly Random _random;

    public EnvironmentMutator(Random random) => _random = random;

    public string Mutate(Dictionary<string, byte[]?> environment)
    {
        string name = Variables[_random.Next(Variables.Length)];
        switch (_random.Next(5))
        {
            case 0:
                environment[name] = null;
                return $"{name} unset";
            case 1:
                string text = name == "CNI_ARGS" ? OddArgs[_random.Next(OddArgs.Length)] : OddText[_random.Next(OddText.Length)];
                environment[name] = Encoding.UTF8.GetBytes(text);
                return $"{name} odd ({text.Length} chars)";
            case 2:
                byte[] bad = NotUtf8[_random.Next(NotUtf8.Length)];
                byte[] value = environment.GetValueOrDefault(name) ?? [];
                int at = value.Length == 0 ? 0 : _random.Next(value.Length + 1);
                environment[name] = [.. value.AsSpan(0, at), .. bad, .. value.AsSpan(at)];
                return $"{name} with bytes {Convert.ToHexString(bad)}";
            case 3:
                byte control = (byte)(1 + _random.Next(0x1f));
                byte[] current = environment.GetValueOrDefault(name) ?? [];
                environment[name] = [.. current, control];
                return $"{name} ending in control byte 0x{control:x2}";
            default:
                string args = string.Join(';', Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => OddArgs[_random.Next(OddArgs.Length)]));
                environment["CNI_ARGS"] = Encoding.UTF8.GetBytes(args);
                return "CNI_ARGS mixed";
        }
    }
}
