using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>One piece of a command template: constant text, or a hole whose value is only known at run time.</summary>
internal readonly struct TemplatePart
{
    private TemplatePart(string? text, object? hole)
    {
        Text = text;
        Hole = hole;
    }

    /// <summary>The constant text; null for a hole.</summary>
    public string? Text { get; }

    /// <summary>What fills the hole: an <see cref="IOperation"/> in analysis (an <see cref="IInterpolationOperation"/> for interpolation holes), anything in tests.</summary>
    public object? Hole { get; }

    public bool IsHole => Text is null;

    public static TemplatePart Literal(string text) => new(text, null);

    public static TemplatePart ForHole(object hole) => new(null, hole);

    public override string ToString() => Text ?? "{hole}";
}

/// <summary>
/// A string expression seen as constant text and holes: <c>"-c \"git log " + branch + "\""</c> is
/// <c>-c "git log </c>, <c>{branch}</c>, <c>"</c>. Built from concatenation, interpolation,
/// <c>string.Concat</c>, <c>string.Format</c> with a constant format, and <c>string.Join</c> with a
/// constant separator over listed items; anything else is one hole.
/// </summary>
internal sealed class CommandTemplate
{
    public CommandTemplate(ImmutableArray<TemplatePart> parts, bool isExact = true)
    {
        Parts = Merge(parts);
        IsExact = isExact;
    }

    public ImmutableArray<TemplatePart> Parts { get; }

    /// <summary>False when a format item had alignment or format specifiers the template could not keep.</summary>
    public bool IsExact { get; }

    public bool IsConstant => Parts.All(p => !p.IsHole);

    public bool HasHoles => Parts.Any(p => p.IsHole);

    public string ConstantText => string.Concat(Parts.Select(p => p.Text));

    public static CommandTemplate FromText(string text) => new(ImmutableArray.Create(TemplatePart.Literal(text)));

    public static CommandTemplate From(IOperation operation)
    {
        var parts = ImmutableArray.CreateBuilder<TemplatePart>();
        var exact = true;
        Add(operation, parts, ref exact, 0);
        return new CommandTemplate(parts.ToImmutable(), exact);
    }

    private static void Add(IOperation operation, ImmutableArray<TemplatePart>.Builder parts, ref bool exact, int depth)
    {
        if (depth > 32)
        {
            parts.Add(TemplatePart.ForHole(operation));
            return;
        }

        if (operation.ConstantValue is { HasValue: true } constant)
        {
            parts.Add(TemplatePart.Literal(constant.Value?.ToString() ?? string.Empty));
            return;
        }

        switch (operation)
        {
            case IConversionOperation { Type.SpecialType: SpecialType.System_String or SpecialType.System_Object } conversion
                when conversion.Operand.Type?.SpecialType == SpecialType.System_String:
                Add(conversion.Operand, parts, ref exact, depth + 1);
                return;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concat:
                Add(concat.LeftOperand, parts, ref exact, depth + 1);
                Add(concat.RightOperand, parts, ref exact, depth + 1);
                return;

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation text:
                            parts.Add(TemplatePart.Literal(text.Text.ConstantValue.Value?.ToString() ?? string.Empty));
                            break;
                        case IInterpolationOperation { Alignment: null, FormatString: null } hole when hole.Expression.ConstantValue is { HasValue: true, Value: string value }:
                            parts.Add(TemplatePart.Literal(value));
                            break;
                        case IInterpolationOperation hole:
                            // {x,10} and {x:D4}: the hole's text is not the value's plain text.
                            exact &= hole.Alignment is null && hole.FormatString is null;
                            parts.Add(TemplatePart.ForHole(hole));
                            break;
                        default:
                            parts.Add(TemplatePart.ForHole(part));
                            exact = false;
                            break;
                    }
                }

                return;

            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.SpecialType: SpecialType.System_String } method } invocation:
                if (AddStringMethod(method.Name, invocation, parts, ref exact, depth))
                {
                    return;
                }

                break;
        }

        parts.Add(TemplatePart.ForHole(operation));
    }

    private static bool AddStringMethod(string name, IInvocationOperation invocation, ImmutableArray<TemplatePart>.Builder parts, ref bool exact, int depth)
    {
        var values = FlattenArguments(invocation);
        if (values is null)
        {
            return false;
        }

        switch (name)
        {
            case "Concat" when values.All(v => v.Type?.SpecialType is SpecialType.System_String or SpecialType.System_Object):
                foreach (var value in values)
                {
                    Add(value, parts, ref exact, depth + 1);
                }

                return true;

            case "Join" when values.Count >= 1 && values[0].ConstantValue is { HasValue: true, Value: string or char } separator
                && values.Skip(1).All(v => v.Type?.SpecialType is SpecialType.System_String):
                for (var i = 1; i < values.Count; i++)
                {
                    if (i > 1)
                    {
                        parts.Add(TemplatePart.Literal(separator.Value!.ToString()!));
                    }

                    Add(values[i], parts, ref exact, depth + 1);
                }

                return values.Count > 1 || invocation.Arguments.Length > 1 && invocation.Arguments[1].ArgumentKind == ArgumentKind.ParamArray;

            case "Format" when values.Count >= 1 && values[0].ConstantValue is { HasValue: true, Value: string format }
                && invocation.TargetMethod.Parameters[0].Type.SpecialType == SpecialType.System_String:
                return AddFormat(format, values.Skip(1).ToList(), parts, ref exact, depth);

            default:
                return false;
        }
    }

    /// <summary>The call's values in order, with a params array spread; null when an argument is an array passed whole.</summary>
    private static List<IOperation>? FlattenArguments(IInvocationOperation invocation)
    {
        var values = new List<IOperation>();
        foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                if (argument.Value is not IArrayCreationOperation { Initializer: { } initializer })
                {
                    return null;
                }

                values.AddRange(initializer.ElementValues);
            }
            else if (argument.Value.Type is IArrayTypeSymbol or INamedTypeSymbol { IsGenericType: true })
            {
                // string.Join(" ", list): the items are not known one by one.
                return null;
            }
            else
            {
                values.Add(argument.Value);
            }
        }

        return values;
    }

    private static bool AddFormat(string format, List<IOperation> arguments, ImmutableArray<TemplatePart>.Builder parts, ref bool exact, int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{' || c == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                text.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                return false;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                return false;
            }

            var item = format.Substring(i + 1, close - i - 1);
            if (!int.TryParse(item, out var index) || index < 0 || index >= arguments.Count)
            {
                // Alignment or a format string: the text of the hole is not the argument's plain value.
                if (!int.TryParse(item.Split(',', ':')[0], out index) || index < 0 || index >= arguments.Count)
                {
                    return false;
                }

                exact = false;
            }

            if (text.Length > 0)
            {
                parts.Add(TemplatePart.Literal(text.ToString()));
                text.Clear();
            }

            Add(arguments[index], parts, ref exact, depth + 1);
            i = close;
        }

        if (text.Length > 0)
        {
            parts.Add(TemplatePart.Literal(text.ToString()));
        }

        return true;
    }

    private static ImmutableArray<TemplatePart> Merge(ImmutableArray<TemplatePart> parts)
    {
        var builder = ImmutableArray.CreateBuilder<TemplatePart>(parts.Length);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsHole)
            {
                text.Append(part.Text);
                continue;
            }

            if (text.Length > 0)
            {
                builder.Add(TemplatePart.Literal(text.ToString()));
                text.Clear();
            }

            builder.Add(part);
        }

        if (text.Length > 0)
        {
            builder.Add(TemplatePart.Literal(text.ToString()));
        }

        return builder.ToImmutable();
    }

    public override string ToString() => string.Concat(Parts.Select(p => p.ToString()));
}
