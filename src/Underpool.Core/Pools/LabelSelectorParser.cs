using System.Diagnostics.CodeAnalysis;

namespace Underpool.Core.Pools;

/// <summary>A hand-written scanner for <see cref="LabelSelector"/> text, so each error can say exactly where it is.</summary>
internal ref struct LabelSelectorParser
{
    private readonly string _text;
    private int _position;

    public LabelSelectorParser(string text)
    {
        _text = text;
        _position = 0;
    }

    private readonly bool AtEnd => _position >= _text.Length;

    private readonly char Current => _text[_position];

    public bool TryParse([NotNullWhen(true)] out LabelSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        if (string.IsNullOrWhiteSpace(_text))
        {
            error = "node selector is empty: expected requirements such as 'rack=r1' or 'zone in (a,b)'";
            return false;
        }

        var requirements = new List<LabelRequirement>();
        while (true)
        {
            int start = SkipSpace();
            if (AtEnd || Current == ',')
            {
                error = Fail(requirements.Count == 0
                    ? "expected a requirement before ','"
                    : $"expected a requirement after '{requirements[^1]}' and ','");
                return false;
            }

            if (!TryParseRequirement(out LabelRequirement? requirement, out error))
            {
                return false;
            }

            requirements.Add(requirement);
            SkipSpace();
            if (AtEnd)
            {
                break;
            }

            if (Current != ',')
            {
                error = Fail($"expected ',' or the end after '{_text[start.._position].TrimEnd()}' but found '{_text[_position..]}'");
                return false;
            }

            _position++;
        }

        selector = new LabelSelector(requirements);
        error = null;
        return true;
    }

    private bool TryParseRequirement(
        [NotNullWhen(true)] out LabelRequirement? requirement,
        [NotNullWhen(false)] out string? error)
    {
        requirement = null;
        bool negated = Current == '!';
        if (negated)
        {
            _position++;
            SkipSpace();
        }

        string key = ReadWord();
        if (key.Length == 0)
        {
            error = Fail(AtEnd
                ? $"expected a label key after '{_text.TrimEnd()}'"
                : $"expected a label key but found '{_text[_position..]}'");
            return false;
        }

        if (LabelSyntax.KeyProblem(key) is { } keyProblem)
        {
            error = Fail(keyProblem);
            return false;
        }

        if (negated)
        {
            requirement = new LabelRequirement(key, LabelOperator.DoesNotExist, []);
            error = null;
            return true;
        }

        SkipSpace();
        if (AtEnd || Current == ',')
        {
            requirement = new LabelRequirement(key, LabelOperator.Exists, []);
            error = null;
            return true;
        }

        if (Current == '=' || (Current == '!' && Peek(1) == '='))
        {
            LabelOperator op = Current == '=' ? LabelOperator.Equals : LabelOperator.NotEquals;
            _position += Current == '!' || Peek(1) == '=' ? 2 : 1;
            SkipSpace();
            string value = ReadWord();
            if (LabelSyntax.ValueProblem(value) is { } valueProblem)
            {
                error = Fail(valueProblem);
                return false;
            }

            requirement = new LabelRequirement(key, op, [value]);
            error = null;
            return true;
        }

        int operatorStart = _position;
        string word = ReadWord();
        if (word is not ("in" or "notin"))
        {
            error = Fail($"expected an operator (=, ==, !=, in, notin) after '{key}' but found '{_text[operatorStart..]}'");
            return false;
        }

        SkipSpace();
        if (AtEnd || Current != '(')
        {
            error = Fail($"expected '(' after '{key} {word}'");
            return false;
        }

        _position++;
        if (!TryParseSet(out List<string>? values, out error))
        {
            return false;
        }

        requirement = new LabelRequirement(key, word == "in" ? LabelOperator.In : LabelOperator.NotIn, values);
        return true;
    }

    /// <summary>Reads "a, b)" after the '(' of an in/notin set; commas here belong to the set, not the selector.</summary>
    private bool TryParseSet([NotNullWhen(true)] out List<string>? values, [NotNullWhen(false)] out string? error)
    {
        values = [];
        string previous = "(";
        while (true)
        {
            SkipSpace();
            string value = ReadWord();
            SkipSpace();
            if (value.Length == 0)
            {
                error = Fail(AtEnd ? $"missing ')' after '{previous}'" : $"expected a value after '{previous}'");
                return false;
            }

            if (LabelSyntax.ValueProblem(value) is { } problem)
            {
                error = Fail(problem);
                return false;
            }

            values.Add(value);
            if (AtEnd)
            {
                error = Fail($"missing ')' after '{value}'");
                return false;
            }

            char c = Current;
            _position++;
            if (c == ')')
            {
                error = null;
                return true;
            }

            if (c != ',')
            {
                error = Fail($"expected ',' or ')' after '{value}' but found '{c}'");
                return false;
            }

            previous = value + ",";
        }
    }

    /// <summary>A key, value or operator word: everything up to space or punctuation of the grammar.</summary>
    private string ReadWord()
    {
        int start = _position;
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('=' or '!' or ',' or '(' or ')'))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private int SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }

        return _position;
    }

    private readonly char Peek(int ahead) =>
        _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private readonly string Fail(string problem) => $"node selector '{_text}': {problem}";
}
