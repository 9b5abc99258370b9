using System.Globalization;

namespace EdgeOps.Gateway.Doctor;

/// <summary>A user as passwd and group files define it: uid, primary group, and all group ids it is in.</summary>
internal sealed record UnixAccount(string Name, uint Uid, IReadOnlySet<uint> Gids)
{
    /// <summary>Reads <paramref name="user"/> from <c>passwd</c> and <c>group</c> under <paramref name="etcDirectory"/>; null when unknown.</summary>
    public static UnixAccount? Find(string etcDirectory, string user)
    {
        var passwd = Path.Combine(etcDirectory, "passwd");
        if (!File.Exists(passwd))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwd))
        {
            var fields = line.Split(':');
            if (fields.Length < 4 || fields[0] != user
                || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                || !uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                continue;
            }

            var gids = new HashSet<uint> { gid };
            foreach (var (_, groupId, members) in Groups(etcDirectory))
            {
                if (members.Contains(user))
                {
                    gids.Add(groupId);
                }
            }

            return new UnixAccount(user, uid, gids);
        }

        return null;
    }

    /// <summary>The name of group <paramref name="gid"/>, or the number when it has none.</summary>
    public static string GroupName(string etcDirectory, uint gid) =>
        Groups(etcDirectory).FirstOrDefault(g => g.Gid == gid).Name ?? gid.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<(string Name, uint Gid, string[] Members)> Groups(string etcDirectory)
    {
        var group = Path.Combine(etcDirectory, "group");
        if (!File.Exists(group))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(group))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                yield return (fields[0], gid, fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries));
            }
        }
    }
}
