using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// Collects every error of one load, with positions. Parsers remember where each key path sits in the file,
/// so validators that only see the <see cref="Core.Model.LineDefinition"/> can still point at a line and column.
/// </summary>
internal sealed class ConfigContext
{
    private readonly List<ConfigError> _errors = [];
    private readonly Dictionary<string, Mark> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<object, string> _paths = new(ReferenceEqualityComparer.Instance);

    public ConfigContext(string file)
    {
        File = file;
    }

    /// <summary>The file being loaded, as given (used in every message and to resolve relative paths).</summary>
    public string File { get; }

    /// <summary>The folder of <see cref="File"/>, for sections that reference other files (a board file).</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(File)) ?? ".";

    public IReadOnlyList<ConfigError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>True when a problem was already reported at this key path (so a rule does not pile on a second message).</summary>
    public bool HasErrorAt(string keyPath) => _errors.Any(e => string.Equals(e.KeyPath, keyPath, StringComparison.Ordinal));

    /// <summary>Reports a problem at a node (its start position).</summary>
    public void Error(YamlNode? node, string keyPath, string message)
    {
        if (node is null)
        {
            Error(keyPath, message);
            return;
        }

        _errors.Add(new ConfigError(File, ToInt(node.Start.Line), ToInt(node.Start.Column), keyPath, message));
    }

    /// <summary>
    /// Reports a problem at a key path; the position is the remembered node of that path, or of its nearest
    /// remembered parent (a missing key points at the mapping that should hold it).
    /// </summary>
    public void Error(string keyPath, string message)
    {
        var mark = FindPosition(keyPath);
        _errors.Add(new ConfigError(File, ToInt(mark.Line), ToInt(mark.Column), keyPath, message));
    }

    /// <summary>Reports a problem that has a position but no key path (YAML syntax).</summary>
    public void Error(Mark position, string message) =>
        _errors.Add(new ConfigError(File, ToInt(position.Line), ToInt(position.Column), string.Empty, message));

    /// <summary>Remembers where a key path's value sits in the file.</summary>
    public void Remember(string keyPath, YamlNode node) => _positions.TryAdd(keyPath, node.Start);

    /// <summary>Remembers which key path a parsed model object came from (machine, signal, shift...).</summary>
    public void RememberPath(object model, string keyPath) => _paths[model] = keyPath;

    /// <summary>
    /// The key path a model object was parsed from (by reference: records compare by value), e.g.
    /// <c>machines[2].signals[0]</c>; empty when the object did not come from the file.
    /// </summary>
    public string PathOf(object model) => _paths.TryGetValue(model, out var path) ? path : string.Empty;

    /// <summary>Joins a parent path and a key: <c>Child("machines[0]", "id")</c> is <c>machines[0].id</c>.</summary>
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>The path of a sequence item: <c>Item("machines", 2)</c> is <c>machines[2]</c>.</summary>
    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>Errors sorted by position, so the output reads top to bottom like the file.</summary>
    public IReadOnlyList<ConfigError> SortedErrors() =>
        [.. _errors.Select((e, i) => (e, i)).OrderBy(x => x.e.Line).ThenBy(x => x.e.Column).ThenBy(x => x.i).Select(x => x.e)];

    private Mark FindPosition(string keyPath)
    {
        var path = keyPath;
        while (true)
        {
            if (_positions.TryGetValue(path, out var mark))
            {
                return mark;
            }

            if (path.Length == 0)
            {
                return Mark.Empty;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut <= 0 ? string.Empty : path[..cut];
        }
    }

    private static int ToInt(long value) => value > int.MaxValue ? int.MaxValue : (int)value;
}
