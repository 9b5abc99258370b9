using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Parsing;
using EdgeOps.Gateway.Configuration.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// Loads and validates a line file (<c>firmware-config/lines/*.yaml</c>). Reports every problem in one pass, each
/// with file, line, column and key path, so a plant engineer fixes the file once instead of once per start.
/// </summary>
internal static class LineConfigLoader
{
    public static LineConfigResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new LineConfigResult(null, [new ConfigError(path, 0, 0, string.Empty, $"cannot read the file: {e.Message}")]);
        }

        return LoadText(text, path);
    }

    /// <summary>Loads YAML text; <paramref name="file"/> names it in messages and resolves relative references.</summary>
    public static LineConfigResult LoadText(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var context = new ConfigContext(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // Syntax errors stop the parser itself; there is no tree to check further.
            context.Error(e.Start, $"YAML syntax: {Innermost(e).Message}");
            return new LineConfigResult(null, context.SortedErrors());
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed flow collections.
            context.Error(Mark.Empty, $"YAML syntax: the file could not be parsed ({e.Message}); look for an unclosed [ or {{");
            return new LineConfigResult(null, context.SortedErrors());
        }

        if (stream.Documents.Count != 1)
        {
            context.Error(Mark.Empty, stream.Documents.Count == 0 ? "the file is empty" : "expected one YAML document, found several ('---')");
            return new LineConfigResult(null, context.SortedErrors());
        }

        var line = LineParser.Parse(stream.Documents[0].RootNode, context);
        if (line is not null)
        {
            foreach (var validator in LineValidators.All)
            {
                validator.Validate(line, context);
            }
        }

        var errors = context.SortedErrors();
        return new LineConfigResult(errors.Count == 0 ? line : null, errors);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is YamlException inner)
        {
            e = inner;
        }

        return e;
    }
}
