using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class IsoZoneTests
{
    public static TheoryData<IsoMachineClass, double, IsoZone> AtAndJustOverEachLimit()
    {
        var data = new TheoryData<IsoMachineClass, double, IsoZone>();
        var table = new (IsoMachineClass Class, double Ab, double Bc, double Cd)[]
        {
            (IsoMachineClass.I, 0.71, 1.8, 4.5),
            (IsoMachineClass.II, 1.12, 2.8, 7.1),
            (IsoMachineClass.III, 1.8, 4.5, 11.2),
            (IsoMachineClass.IV, 2.8, 7.1, 18.0),
        };
        foreach (var (c, ab, bc, cd) in table)
        {
            data.Add(c, 0, IsoZone.A);
            data.Add(c, ab, IsoZone.A);
            data.Add(c, ab + 0.001, IsoZone.B);
            data.Add(c, bc, IsoZone.B);
            data.Add(c, bc + 0.001, IsoZone.C);
            data.Add(c, cd, IsoZone.C);
            data.Add(c, cd + 0.001, IsoZone.D);
            data.Add(c, 100, IsoZone.D);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AtAndJustOverEachLimit))]
    public void Zone_AtALimitStaysLowerAndJustOverMovesUp(IsoMachineClass machineClass, double velocityRms, IsoZone expected) =>
        Assert.Equal(expected, IsoZoneClassifier.Classify(velocityRms, machineClass));

    [Fact]
    public void Boundaries_OfClassII_AreTheTableValues() =>
        Assert.Equal([1.12, 2.8, 7.1], IsoZoneClassifier.Boundaries(IsoMachineClass.II));
}
