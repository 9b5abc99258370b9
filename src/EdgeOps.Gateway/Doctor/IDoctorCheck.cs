namespace EdgeOps.Gateway.Doctor;

/// <summary>One go-live check of <c>edgeops doctor</c>. A check never throws for what it finds: it reports it.</summary>
internal interface IDoctorCheck
{
    Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken);
}
