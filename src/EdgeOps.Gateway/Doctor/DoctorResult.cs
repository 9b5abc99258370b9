namespace EdgeOps.Gateway.Doctor;

/// <summary>How a check came out. Any <see cref="Fail"/> makes <c>edgeops doctor</c> exit non-zero.</summary>
internal enum DoctorStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One finding: what was checked, how it came out, and what to do about it when it did not pass.</summary>
internal sealed record DoctorResult(string Check, string Subject, DoctorStatus Status, string Detail, string? Fix = null)
{
    public static DoctorResult Pass(string check, string subject, string detail) => new(check, subject, DoctorStatus.Pass, detail);
}
