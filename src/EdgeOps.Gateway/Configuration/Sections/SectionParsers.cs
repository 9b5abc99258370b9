namespace EdgeOps.Gateway.Configuration.Sections;

/// <summary>Extra sections under signals and machines, owned by other features. Add one line per section.</summary>
internal static class SectionParsers
{
    public static IReadOnlyList<ISignalSectionParser> Signal { get; } =
    [
        new ConditionSectionParser(),
    ];

    public static IReadOnlyList<IMachineSectionParser> Machine { get; } =
    [
        new MaintenanceSectionParser(),
    ];
}
