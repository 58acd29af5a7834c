using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// The values the locals of one body are assigned (flow-insensitively), so that
/// <c>var shell = isWindows ? "cmd.exe" : "/bin/bash";</c> or
/// <c>var (shell, flag) = OperatingSystem.IsWindows() ? ("cmd.exe", "/c") : ("/bin/bash", "-c");</c>
/// still show which programs may run. A local written any other way (ref, out, compound) is unknown.
/// </summary>
internal sealed class LocalValues
{
    private const int MaxDepth = 4;
    private const int MaxAlternatives = 8;

    private readonly Dictionary<ILocalSymbol, List<IOperation>> values = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> unknown = new(SymbolEqualityComparer.Default);

    public LocalValues(IEnumerable<IOperation> blocks)
    {
        foreach (var operation in blocks.SelectMany(b => b.DescendantsAndSelf()))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    Add(declarator.Symbol, initializer.Value);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    AddDeconstruction(deconstruction.Target, deconstruction.Value);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    Add(local.Local, assignment.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation local }:
                    unknown.Add(local.Local);
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation local }:
                    unknown.Add(local.Local);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: var value }:
                    if (Unwrap(value) is ILocalReferenceOperation written)
                    {
                        unknown.Add(written.Local);
                    }

                    break;
                case IForEachLoopOperation loop:
                    foreach (var local in loop.Locals)
                    {
                        unknown.Add(local);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The expressions a value may come from: through conditionals, <c>??</c>, switch expressions and
    /// locals. Each is reported where it is written, so a message points at the text that matters.
    /// </summary>
    public List<IOperation> Alternatives(IOperation operation)
    {
        var result = new List<IOperation>();
        AddAlternatives(operation, result, 0);
        return result;
    }

    /// <summary>The constant strings a value may be, and whether it may be something else too.</summary>
    public (List<string> Constants, bool HasUnknown) Constants(IOperation operation)
    {
        var constants = new List<string>();
        var hasUnknown = false;
        foreach (var alternative in Alternatives(operation))
        {
            if (ConstantOf(alternative) is { } text)
            {
                if (!constants.Contains(text))
                {
                    constants.Add(text);
                }
            }
            else
            {
                hasUnknown = true;
            }
        }

        return (constants, hasUnknown);
    }

    /// <summary>Whether every value the expression may have is a known constant.</summary>
    public bool IsConstant(IOperation operation)
    {
        var (constants, hasUnknown) = Constants(operation);
        return !hasUnknown && constants.Count > 0;
    }

    private void AddAlternatives(IOperation? operation, List<IOperation> result, int depth)
    {
        operation = Unwrap(operation);
        if (operation is null || result.Count >= MaxAlternatives)
        {
            return;
        }

        if (depth < MaxDepth && !operation.ConstantValue.HasValue)
        {
            switch (operation)
            {
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    AddAlternatives(conditional.WhenTrue, result, depth + 1);
                    AddAlternatives(whenFalse, result, depth + 1);
                    return;
                case ICoalesceOperation coalesce:
                    AddAlternatives(coalesce.Value, result, depth + 1);
                    AddAlternatives(coalesce.WhenNull, result, depth + 1);
                    return;
                case ISwitchExpressionOperation switchExpression:
                    foreach (var arm in switchExpression.Arms)
                    {
                        AddAlternatives(arm.Value, result, depth + 1);
                    }

                    return;
                case ILocalReferenceOperation local when !unknown.Contains(local.Local) && values.TryGetValue(local.Local, out var assigned):
                    foreach (var value in assigned)
                    {
                        AddAlternatives(value, result, depth + 1);
                    }

                    return;
            }
        }

        if (!result.Contains(operation))
        {
            result.Add(operation);
        }
    }

    /// <summary>
    /// The constant a leaf stands for: a literal or constant, a readonly field initialized with a
    /// literal, or the user's shell read from <c>SHELL</c>/<c>COMSPEC</c>.
    /// </summary>
    public static string? ConstantOf(IOperation operation)
    {
        operation = Unwrap(operation)!;
        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            return text;
        }

        switch (operation)
        {
            case IFieldReferenceOperation { Field: { IsReadOnly: true } field }:
                foreach (var reference in field.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal }
                        && literal.IsKind(SyntaxKind.StringLiteralExpression))
                    {
                        return literal.Token.ValueText;
                    }
                }

                return null;

            case IInvocationOperation { TargetMethod: { Name: "GetEnvironmentVariable", ContainingType.Name: "Environment" }, Arguments.Length: >= 1 } read
                when read.Arguments[0].Value.ConstantValue.Value is string variable:
                return variable.Equals("SHELL", StringComparison.OrdinalIgnoreCase) ? "sh"
                    : variable.Equals("COMSPEC", StringComparison.OrdinalIgnoreCase) ? "cmd.exe"
                    : null;

            default:
                return null;
        }
    }

    private void Add(ILocalSymbol local, IOperation value)
    {
        if (!values.TryGetValue(local, out var list))
        {
            list = new List<IOperation>();
            values[local] = list;
        }

        list.Add(value);
    }

    private void AddDeconstruction(IOperation target, IOperation value)
    {
        target = Unwrap(target)!;
        if (target is IDeclarationExpressionOperation declaration)
        {
            target = declaration.Expression;
        }

        if (target is not ITupleOperation tuple)
        {
            if (target is ILocalReferenceOperation local)
            {
                Add(local.Local, value);
            }

            return;
        }

        for (var i = 0; i < tuple.Elements.Length; i++)
        {
            var element = tuple.Elements[i] is IDeclarationExpressionOperation d ? d.Expression : tuple.Elements[i];
            if (element is not ILocalReferenceOperation local)
            {
                continue;
            }

            foreach (var part in TupleElements(value, i))
            {
                if (part is null)
                {
                    unknown.Add(local.Local);
                }
                else
                {
                    Add(local.Local, part);
                }
            }
        }
    }

    /// <summary>Element <paramref name="index"/> of a tuple literal, or of each branch of a conditional of tuple literals.</summary>
    private static IEnumerable<IOperation?> TupleElements(IOperation value, int index)
    {
        value = Unwrap(value)!;
        switch (value)
        {
            case ITupleOperation tuple when index < tuple.Elements.Length:
                yield return tuple.Elements[index];
                break;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                foreach (var part in TupleElements(conditional.WhenTrue, index))
                {
                    yield return part;
                }

                foreach (var part in TupleElements(whenFalse, index))
                {
                    yield return part;
                }

                break;
            default:
                yield return null;
                break;
        }
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IConversionOperation { Type.SpecialType: SpecialType.System_String or SpecialType.System_Object } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }
}
