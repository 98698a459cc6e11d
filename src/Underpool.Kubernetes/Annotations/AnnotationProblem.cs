namespace Underpool.Kubernetes.Annotations;

/// <summary>Where an annotation came from. Listed from the most specific to the least: for one annotation present in
/// several, the first wins (see <see cref="PodAnnotations"/>).</summary>
internal enum AnnotationSource
{
    /// <summary>The netconf's <c>args.cni</c>: Multus copies a network selection element's <c>cni-args</c> there, so it
    /// speaks for this one network attachment.</summary>
    CniArgs,

    /// <summary>The pod's annotations as the API server has them now.</summary>
    Api,

    /// <summary>The pod's annotations as containerd or CRI-O passed them (<c>runtimeConfig["io.kubernetes.cri.pod-annotations"]</c>):
    /// the same annotations, as the runtime saw them when it created the sandbox.</summary>
    Runtime,

    /// <summary>The pod's namespace (default pools).</summary>
    Namespace,

    /// <summary>A workload object (a Deployment's application pool annotations).</summary>
    Workload,
}

/// <summary>An annotation that cannot be used, with what to fix; the agent answers the ADD with it (CNI 7), or logs
/// it and records an Event for a workload's annotation.</summary>
/// <param name="Subject">Whose annotation, for a person: "pod shop/web-0", "Deployment shop/web".</param>
internal sealed record AnnotationProblem(string Annotation, string Subject, AnnotationSource Source, string Detail)
{
    public string Message => $"annotation {Annotation} of {Where}: {Detail}";

    private string Where => Source switch
    {
        AnnotationSource.CniArgs => $"{Subject} (from the network's args.cni)",
        AnnotationSource.Runtime => $"{Subject} (from the runtime's pod annotations)",
        AnnotationSource.Namespace => $"the namespace of {Subject}",
        _ => Subject,
    };
}

/// <summary>A value, or the <see cref="AnnotationProblem"/> that prevented it.</summary>
internal readonly struct Checked<T>
{
    private Checked(T? value, AnnotationProblem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public AnnotationProblem? Problem { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Problem))]
    public bool IsValid => Problem is null;

    /// <summary>A valid value; also for interface types, which cannot convert implicitly.</summary>
    public static Checked<T> Valid(T value) => new(value, null);

    public static implicit operator Checked<T>(T value) => new(value, null);

    public static implicit operator Checked<T>(AnnotationProblem problem) => new(default, problem);
}
