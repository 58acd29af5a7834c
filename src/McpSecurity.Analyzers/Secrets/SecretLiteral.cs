using System.Linq;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Secrets;

/// <summary>
/// A literal value as the secret rules see it: a non-empty string (plain, verbatim, raw, interpolated
/// without holes, constant concatenation), a u8 literal, a byte/char array of constants, or a use
/// of a constant. Each is taken whole: the parts of <c>"a" + "b"</c> are not literals of their own.
/// </summary>
internal sealed class SecretLiteral
{
    private SecretLiteral(string? text, bool isReference, bool isChar)
    {
        Text = text;
        IsReference = isReference;
        IsChar = isChar;
    }

    /// <summary>The literal's text; null for byte arrays.</summary>
    public string? Text { get; }

    /// <summary>A use of a <c>const</c> rather than the literal itself.</summary>
    public bool IsReference { get; }

    /// <summary>A single char (only meaningful to <c>SecureString.AppendChar</c>).</summary>
    public bool IsChar { get; }

    public static bool TryGet(IOperation operation, SecretNameOptions names, out SecretLiteral literal)
    {
        literal = null!;
        if (IsPartOfLargerConstant(operation))
        {
            return false;
        }

        switch (operation)
        {
            case ILiteralOperation or IInterpolatedStringOperation or IBinaryOperation
                when operation.ConstantValue is { HasValue: true, Value: string text }:
                if (IsBlankOrEmpty(text))
                {
                    return false;
                }

                literal = new SecretLiteral(text, isReference: false, isChar: false);
                return true;

            case ILiteralOperation { ConstantValue: { HasValue: true, Value: char c } }:
                literal = new SecretLiteral(c.ToString(), isReference: false, isChar: true);
                return true;

            case IUtf8StringOperation utf8 when !IsBlankOrEmpty(utf8.Value):
                literal = new SecretLiteral(utf8.Value, isReference: false, isChar: false);
                return true;

            case IArrayCreationOperation array when SecretLiteralFlow.IsLiteralArray(array):
                var chars = array.Initializer!.ElementValues.Select(e => e.ConstantValue.Value).OfType<char>().ToArray();
                literal = new SecretLiteral(chars.Length > 0 ? new string(chars) : null, isReference: false, isChar: false);
                return true;

            // A constant used as a secret: reported at the use unless the constant is itself
            // secret-named, in which case its declaration already is.
            case IFieldReferenceOperation { Field: { IsConst: true } field, ConstantValue: { HasValue: true, Value: string fieldText } }
                when !IsBlankOrEmpty(fieldText) && !SecretNames.IsSecretName(field.Name, names).IsSecret:
                literal = new SecretLiteral(fieldText, isReference: true, isChar: false);
                return true;

            case ILocalReferenceOperation { Local: { IsConst: true } local, ConstantValue: { HasValue: true, Value: string localText } }
                when !IsBlankOrEmpty(localText) && !SecretNames.IsSecretName(local.Name, names).IsSecret:
                literal = new SecretLiteral(localText, isReference: true, isChar: false);
                return true;

            default:
                return false;
        }
    }

    private static bool IsBlankOrEmpty(string? text) => string.IsNullOrWhiteSpace(text);

    private static bool IsPartOfLargerConstant(IOperation operation)
    {
        var parent = operation.Parent;
        return parent is IInterpolatedStringTextOperation or IInterpolationOperation or INameOfOperation
            || (parent is IBinaryOperation or IInterpolatedStringOperation && parent.ConstantValue.HasValue);
    }
}

/// <summary>A local or readonly field that holds key material made of literals only.</summary>
internal sealed class LiteralHolder
{
    public LiteralHolder(string name) => Name = name;

    public string Name { get; }
}

/// <summary>
/// Intra-method tracking of literal-only values for MCPSEC103: a local whose every write in the
/// method is literal-derived, a foreach variable over a literal, a readonly field with a literal
/// initializer in the same file.
/// </summary>
internal static class LiteralOnlyValues
{
    private const int MaxDepth = 3;

    public static LiteralHolder? IndirectSource(IOperation value, SecretSymbols symbols)
    {
        var source = StripTransforms(value, symbols);
        switch (source)
        {
            case ILocalReferenceOperation local when IsLiteralOnlyLocal(local.Local, SecretOperations.Root(value), 0, symbols, out _):
                return new LiteralHolder(local.Local.Name);

            case IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: true } field } reference
                when FieldInitializer(field, reference.SemanticModel) is { } initializer && IsLiteralDerived(initializer, initializer, 0, symbols, out _):
                return new LiteralHolder(field.Name);

            default:
                return null;
        }
    }

    public static bool IsLiteralOnlyLocal(ILocalSymbol local, IOperation root, int depth, out string? sample)
        => IsLiteralOnlyLocal(local, root, depth, null, out sample);

    public static bool IsLiteralOnlyLocal(ILocalSymbol local, IOperation root, int depth, SecretSymbols? symbols, out string? sample)
    {
        sample = null;
        if (depth > MaxDepth)
        {
            return false;
        }

        var writes = 0;
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation loopVariable } loop
                    when SymbolEqualityComparer.Default.Equals(loopVariable.Symbol, local):
                    return IsLiteralDerived(loop.Collection, root, depth + 1, symbols, out sample);

                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.Initializer is { } initializer)
                    {
                        if (!IsLiteralDerived(initializer.Value, root, depth + 1, symbols, out var initialText))
                        {
                            return false;
                        }

                        sample ??= initialText;
                        writes++;
                    }

                    break;

                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    switch (reference.Parent)
                    {
                        case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                            if (!IsLiteralDerived(assignment.Value, root, depth + 1, symbols, out var assignedText))
                            {
                                return false;
                            }

                            sample ??= assignedText;
                            writes++;
                            break;
                        case ICompoundAssignmentOperation or ICoalesceAssignmentOperation or IIncrementOrDecrementOperation
                            or ITupleOperation or IDeclarationExpressionOperation:
                            return false;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                            return false;
                    }

                    break;
            }
        }

        return writes > 0;
    }

    private static bool IsLiteralDerived(IOperation? operation, IOperation root, int depth, SecretSymbols? symbols, out string? sample)
    {
        sample = null;
        operation = SecretOperations.SkipConversions(operation);
        switch (operation)
        {
            case null or INameOfOperation:
                return false;
            case { ConstantValue: { HasValue: true, Value: string text } }:
                sample = text;
                return text.Length > 0;
            case { ConstantValue: { HasValue: true, Value: char } }:
                return true;
            case IUtf8StringOperation utf8:
                sample = utf8.Value;
                return utf8.Value.Length > 0;
            case IArrayCreationOperation array when SecretLiteralFlow.IsLiteralArray(array):
                return true;
            case IInvocationOperation invocation when symbols is not null && SecretLiteralFlow.IsTransform(invocation, symbols):
                return IsLiteralDerived(SecretLiteralFlow.TransformInput(invocation), root, depth, symbols, out sample);
            case ILocalReferenceOperation local:
                return IsLiteralOnlyLocal(local.Local, root, depth + 1, symbols, out sample);
            default:
                return false;
        }
    }

    private static IOperation? StripTransforms(IOperation? operation, SecretSymbols symbols)
    {
        for (var i = 0; i < 8; i++)
        {
            operation = SecretOperations.SkipConversions(operation);
            if (operation is IInvocationOperation invocation && SecretLiteralFlow.IsTransform(invocation, symbols))
            {
                operation = SecretLiteralFlow.TransformInput(invocation);
                continue;
            }

            return operation;
        }

        return operation;
    }

    private static IOperation? FieldInitializer(IFieldSymbol field, SemanticModel? model)
    {
        if (model is null || field.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = field.DeclaringSyntaxReferences[0].GetSyntax();
        return syntax.SyntaxTree == model.SyntaxTree && syntax is VariableDeclaratorSyntax { Initializer: { } initializer }
            ? model.GetOperation(initializer.Value)
            : null;
    }
}
