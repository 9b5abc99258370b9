using System.Globalization;

namespace EdgeOps.Historian.Tests.Views;

/// <summary>
/// The part of Grafana's math expression language the provisioned rules use: numbers, <c>$refId</c>, parentheses,
/// <c>+ - * /</c>, comparisons (1 or 0), <c>&amp;&amp;</c> and <c>||</c>. Values of several refIds combine per label set,
/// joined where one label set contains the other (Grafana's union); a label set missing from one side gives no result.
/// </summary>
internal static class MathExpression
{
    public static List<LabelledValue> Evaluate(string expression, IReadOnlyDictionary<string, List<LabelledValue>> values)
    {
        var parser = new Parser(expression);
        var tree = parser.Parse();
        var bindings = new List<(Dictionary<string, string> Labels, Dictionary<string, double> Vars)> { (new(StringComparer.Ordinal), new(StringComparer.Ordinal)) };
        foreach (var name in parser.Variables)
        {
            var next = new List<(Dictionary<string, string>, Dictionary<string, double>)>();
            foreach (var (labels, vars) in bindings)
            {
                foreach (var item in values[name])
                {
                    if (Contains(labels, item.Labels) || Contains(item.Labels, labels))
                    {
                        var union = new Dictionary<string, string>(labels, StringComparer.Ordinal);
                        foreach (var (k, v) in item.Labels)
                        {
                            union[k] = v;
                        }

                        next.Add((union, new Dictionary<string, double>(vars, StringComparer.Ordinal) { [name] = item.Value }));
                    }
                }
            }

            bindings = next;
        }

        return [.. bindings.Select(b => new LabelledValue(b.Labels, tree(b.Vars)))];
    }

    private static bool Contains(IReadOnlyDictionary<string, string> outer, IReadOnlyDictionary<string, string> inner) =>
        inner.All(l => outer.TryGetValue(l.Key, out var v) && v == l.Value);

    private sealed class Parser(string text)
    {
        private int _at;

        public List<string> Variables { get; } = [];

        public Func<Dictionary<string, double>, double> Parse()
        {
            var result = Binary(0);
            Skip();
            return _at == text.Length ? result : throw new FormatException($"unexpected '{text[_at..]}' in '{text}'");
        }

        private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!=", ">=", "<=", ">", "<"], ["+", "-"], ["*", "/"]];

        private Func<Dictionary<string, double>, double> Binary(int level)
        {
            if (level == Levels.Length)
            {
                return Atom();
            }

            var left = Binary(level + 1);
            while (true)
            {
                Skip();
                var op = Levels[level].FirstOrDefault(o => string.CompareOrdinal(text, _at, o, 0, o.Length) == 0);
                if (op is null)
                {
                    return left;
                }

                _at += op.Length;
                var l = left;
                var r = Binary(level + 1);
                left = op switch
                {
                    "||" => v => l(v) != 0 || r(v) != 0 ? 1 : 0,
                    "&&" => v => l(v) != 0 && r(v) != 0 ? 1 : 0,
                    "==" => v => l(v) == r(v) ? 1 : 0,
                    "!=" => v => l(v) != r(v) ? 1 : 0,
                    ">=" => v => l(v) >= r(v) ? 1 : 0,
                    "<=" => v => l(v) <= r(v) ? 1 : 0,
                    ">" => v => l(v) > r(v) ? 1 : 0,
                    "<" => v => l(v) < r(v) ? 1 : 0,
                    "+" => v => l(v) + r(v),
                    "-" => v => l(v) - r(v),
                    "*" => v => l(v) * r(v),
                    _ => v => l(v) / r(v),
                };
            }
        }

        private Func<Dictionary<string, double>, double> Atom()
        {
            Skip();
            if (text[_at] == '(')
            {
                _at++;
                var inner = Binary(0);
                Skip();
                _at++;
                return inner;
            }

            var start = _at;
            if (text[_at] == '$')
            {
                _at++;
                while (_at < text.Length && char.IsLetterOrDigit(text[_at]))
                {
                    _at++;
                }

                var name = text[(start + 1).._at];
                if (!Variables.Contains(name))
                {
                    Variables.Add(name);
                }

                return v => v[name];
            }

            while (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '.'))
            {
                _at++;
            }

            var number = double.Parse(text[start.._at], CultureInfo.InvariantCulture);
            return _ => number;
        }

        private void Skip()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }
        }
    }
}
