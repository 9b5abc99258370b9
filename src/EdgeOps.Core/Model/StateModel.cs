namespace EdgeOps.Core.Model;

/// <summary>Which table maps a machine's state code to reasons before its own <c>stateCodes</c> entries.</summary>
public enum StateModel
{
    /// <summary>No preset: only the machine's <c>stateCodes</c>.</summary>
    Custom,
    /// <summary>The 17 PackML states of ISA-TR88.00.02 (PackTags <c>StateCurrent</c> 1–17), see <see cref="PackMl"/>.</summary>
    PackMl,
}
