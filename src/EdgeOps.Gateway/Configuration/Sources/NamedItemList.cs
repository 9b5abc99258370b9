using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sources;

/// <summary>
/// The shape every connection-per-item source section shares (<c>opcua: { endpoints: [...] }</c>,
/// <c>modbus: { devices: [...] }</c>): one required list under one key, each item a mapping with a unique
/// <c>name</c> that signals bind to. The kind's parser reads the rest of each item.
/// </summary>
internal static class NamedItemList
{
    /// <summary>
    /// Reads the list <paramref name="listKey"/> under <paramref name="node"/>: opens each item with
    /// <paramref name="itemKeys"/> (which include <c>name</c>), reads its name (reporting "<paramref name="itemKind"/>
    /// 'x' is defined twice" for a repeat) and hands it to <paramref name="parseItem"/> with its name (null when missing
    /// or invalid, so the item's other keys are still checked) and its key path. Null when the list itself is missing.
    /// </summary>
    public static List<T>? Parse<T>(YamlNode node, string keyPath, ConfigContext context, string listKey, string itemKind,
        string[] itemKeys, Func<MappingReader, string?, string, T?> parseItem)
        where T : class
    {
        var map = MappingReader.Open(node, keyPath, context, listKey);
        var list = map?.Sequence(listKey, required: true);
        if (list is null)
        {
            return null;
        }

        var items = new List<T>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = ConfigContext.Item(map!.PathOf(listKey), i);
            var item = MappingReader.Open(list.Children[i], path, context, itemKeys);
            if (item is null)
            {
                continue;
            }

            var name = item.Id("name", required: true);
            if (name is not null && !names.Add(name))
            {
                context.Error(item.Get("name"), item.PathOf("name"), $"{itemKind} '{name}' is defined twice");
            }

            if (parseItem(item, name, path) is { } parsed)
            {
                items.Add(parsed);
            }
        }

        return items;
    }
}
