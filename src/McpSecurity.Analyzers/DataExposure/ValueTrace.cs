using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// Where a value written to a sink comes from, for the sources that are not client input: exception
/// details (MCPSEC503) and secrets (MCPSEC504). One per method body, built on the first sink found:
/// it records what each local of the body is ever assigned (flow-insensitive, like the untrusted-input
/// model) and then follows a sink's value back through locals and through operations that copy text
/// verbatim — concatenation, interpolation, <c>string.Format/Concat/Join</c>, string and
/// <c>StringBuilder</c> methods, <c>ToString()</c>, encodings, <c>JsonSerializer.Serialize</c>,
/// objects, collections and factory methods built from it — until a classifier recognises an origin.
/// Calls to other methods end the trace: <c>Redact(token)</c> and <c>Hash(token)</c> are not the token.
/// </summary>
internal sealed class ValueTrace
{
    private const int MaxDepth = 32;

    /// <summary>Instance methods of string that return (part of) the same text.</summary>
    private static readonly ImmutableHashSet<string> CopyingStringMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "ToString", "Trim", "TrimStart", "TrimEnd", "Replace", "ToLower", "ToLowerInvariant", "ToUpper", "ToUpperInvariant",
        "Substring", "Split", "PadLeft", "PadRight", "Normalize", "Insert", "Remove", "ToCharArray", "AsSpan", "AsMemory", "Clone");

    /// <summary>Static methods that return their arguments' text, encoded or serialized.</summary>
    private static readonly ImmutableHashSet<string> CopyingStaticTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "System.String", "System.Convert", "System.Text.Json.JsonSerializer", "System.Uri", "System.Net.WebUtility",
        "System.Web.HttpUtility", "System.FormattableString", "System.Linq.Enumerable", "System.MemoryExtensions",
        "System.Threading.Tasks.Task", "System.Threading.Tasks.ValueTask");

    /// <summary>Calls that add their arguments to the receiver: a local builder or list then holds them.</summary>
    private static readonly ImmutableHashSet<string> Appenders = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Append", "AppendLine", "AppendFormat", "AppendJoin", "Add", "AddRange", "Insert", "Push", "Enqueue", "TryAdd");

    private readonly ImmutableArray<IOperation> blocks;
    private readonly Shared.Taint.InertTypes inert;
    private Dictionary<ILocalSymbol, List<IOperation>>? assignments;
    private HashSet<ILocalSymbol>? pairKeys;

    /// <summary>Set for the duration of one <see cref="Find"/>; a trace serves one body on one thread.</summary>
    private bool ignoreDevelopmentBranches;

    private ValueTrace(ImmutableArray<IOperation> blocks, Shared.Taint.InertTypes inert)
    {
        this.blocks = blocks;
        this.inert = inert;
    }

    /// <summary>
    /// The trace of one body. What each local is assigned is gathered on the first question about a
    /// local: most sink values (a member, a call, a literal piece of a message) never reach one, and
    /// then the body is not walked a second time.
    /// </summary>
    public static ValueTrace Build(ImmutableArray<IOperation> blocks, Shared.Taint.InertTypes inert) => new(blocks, inert);

    private Dictionary<ILocalSymbol, List<IOperation>> Assignments
    {
        get
        {
            EnsureCollected();
            return assignments!;
        }
    }

    private HashSet<ILocalSymbol> PairKeys
    {
        get
        {
            EnsureCollected();
            return pairKeys!;
        }
    }

    private void EnsureCollected()
    {
        if (assignments is not null)
        {
            return;
        }

        var collected = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        var keys = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var block in blocks)
        {
            if (block is null)
            {
                continue;
            }

            foreach (var operation in block.DescendantsAndSelf())
            {
                Collect(operation, collected, keys);
            }
        }

        pairKeys = keys;
        assignments = collected;
    }

    /// <summary>
    /// Whether <paramref name="local"/> is the key of <c>foreach (var (key, value) in pairs)</c>: it
    /// holds a key of the collection, never one of its values.
    /// </summary>
    public bool IsPairKey(ILocalSymbol local) => PairKeys.Contains(local);

    /// <summary>The values assigned to <paramref name="local"/> anywhere in the body.</summary>
    public IReadOnlyList<IOperation> AssignmentsOf(ILocalSymbol local)
        => Assignments.TryGetValue(local, out var values) ? values : (IReadOnlyList<IOperation>)Array.Empty<IOperation>();

    /// <summary>The first origin <paramref name="classify"/> recognises in <paramref name="value"/>, or null.</summary>
    /// <param name="outsideDevelopment">Skip branches and assignments that run only in the Development environment.</param>
    public Origin? Find(IOperation value, Func<IOperation, Origin?> classify, bool outsideDevelopment = false)
    {
        ignoreDevelopmentBranches = outsideDevelopment;
        try
        {
            return Evaluate(value, classify, new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default), 0);
        }
        finally
        {
            ignoreDevelopmentBranches = false;
        }
    }

    private static void Collect(IOperation operation, Dictionary<ILocalSymbol, List<IOperation>> assignments, HashSet<ILocalSymbol> pairKeys)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                Add(assignments, declarator.Symbol, initializer.Value);
                break;
            case IAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                Add(assignments, local.Local, assignment.Value);
                break;
            case IAssignmentOperation { Target: IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local } } assignment:
                Add(assignments, local.Local, assignment.Value);
                break;
            case IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true } indexer } assignment
                when LocalOf(indexer.Instance) is { } collection && collection.Type.SpecialType != SpecialType.System_String:
                // values[key] = value: like Add, the local collection then holds the value.
                Add(assignments, collection, assignment.Value);
                break;
            case IForEachLoopOperation loop:
                var key = DeconstructedPairKey(loop);
                foreach (var local in loop.Locals)
                {
                    if (SymbolEqualityComparer.Default.Equals(local, key))
                    {
                        pairKeys.Add(local);
                    }
                    else
                    {
                        Add(assignments, local, loop.Collection);
                    }
                }

                break;
            case IIsPatternOperation isPattern:
                foreach (var declared in isPattern.Pattern.DescendantsAndSelf())
                {
                    if (declared is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol symbol })
                    {
                        Add(assignments, symbol, isPattern.Value);
                    }
                }

                break;
            case IInvocationOperation invocation:
                foreach (var argument in invocation.Arguments)
                {
                    // headers.TryGetValue("Authorization", out var value): the local holds what the call read.
                    if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && LocalOf(argument.Value) is { } target)
                    {
                        Add(assignments, target, invocation);
                    }
                }

                if (Appenders.Contains(invocation.TargetMethod.Name) && LocalOf(invocation.Instance) is { } builder
                    && builder.Type.SpecialType != SpecialType.System_String)
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        Add(assignments, builder, argument.Value);
                    }
                }

                break;
        }
    }

    /// <summary>The <c>key</c> of <c>foreach (var (key, value) in pairs)</c> over key-value pairs, or null.</summary>
    private static ILocalSymbol? DeconstructedPairKey(IForEachLoopOperation loop)
    {
        // var (key, value) and (string key, object value) are two shapes of the same deconstruction.
        var tuple = loop.LoopControlVariable switch
        {
            IDeclarationExpressionOperation { Expression: ITupleOperation declared } => declared,
            ITupleOperation typed => typed,
            _ => null,
        };
        var first = tuple is { Elements.Length: 2 } ? tuple.Elements[0] : null;
        if (first is IDeclarationExpressionOperation declaration)
        {
            first = declaration.Expression;
        }

        if (loop.Syntax is not ForEachVariableStatementSyntax statement
            || first is not ILocalReferenceOperation { Local: var key }
            || loop.SemanticModel?.GetForEachStatementInfo(statement).ElementType is not INamedTypeSymbol
            {
                Name: "KeyValuePair",
                ContainingNamespace: { Name: "Generic", ContainingNamespace: { Name: "Collections", ContainingNamespace.Name: "System" } },
            })
        {
            return null;
        }

        return key;
    }

    private static bool WritesTo(IInvocationOperation call, ILocalSymbol local)
        => call.Arguments.Any(a => a.Parameter?.RefKind is RefKind.Out or RefKind.Ref
            && SymbolEqualityComparer.Default.Equals(LocalOf(a.Value), local));

    private static ILocalSymbol? LocalOf(IOperation? operation)
        => Secrets.SecretOperations.SkipConversions(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IDeclarationExpressionOperation { Expression: ILocalReferenceOperation local } => local.Local,
            _ => null,
        };

    private static void Add(Dictionary<ILocalSymbol, List<IOperation>> assignments, ILocalSymbol local, IOperation value)
    {
        if (!assignments.TryGetValue(local, out var values))
        {
            values = new List<IOperation>();
            assignments[local] = values;
        }

        values.Add(value);
    }

    private Origin? Evaluate(IOperation? operation, Func<IOperation, Origin?> classify, HashSet<ILocalSymbol> visited, int depth)
    {
        if (operation is null || depth > MaxDepth || operation.ConstantValue.HasValue)
        {
            return null;
        }

        if (operation.Type is { } type && inert.IsInert(type))
        {
            return null;
        }

        if (classify(operation) is { } origin)
        {
            return origin;
        }

        depth++;
        switch (operation)
        {
            case ILocalReferenceOperation local:
                if (!visited.Add(local.Local))
                {
                    return null;
                }

                foreach (var value in AssignmentsOf(local.Local))
                {
                    if (ignoreDevelopmentBranches && DevelopmentChecks.IsInDevelopmentBranch(value))
                    {
                        continue;
                    }

                    // TryGetValue("Authorization", out var value): the call returns a bool; what it read is classified.
                    var found = value is IInvocationOperation call && WritesTo(call, local.Local)
                        ? classify(call)
                        : Evaluate(value, classify, visited, depth);
                    if (found is not null)
                    {
                        return found;
                    }
                }

                return null;

            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, classify, visited, depth);
            case IBinaryOperation binary:
                return Evaluate(binary.LeftOperand, classify, visited, depth) ?? Evaluate(binary.RightOperand, classify, visited, depth);
            case IConditionalOperation conditional:
                var development = ignoreDevelopmentBranches ? DevelopmentChecks.DevelopmentBranch(conditional.Condition) : null;
                return (development == true ? null : Evaluate(conditional.WhenTrue, classify, visited, depth))
                    ?? (development == false ? null : Evaluate(conditional.WhenFalse, classify, visited, depth));
            case ICoalesceOperation coalesce:
                return Evaluate(coalesce.Value, classify, visited, depth) ?? Evaluate(coalesce.WhenNull, classify, visited, depth);
            case IConditionalAccessOperation access:
                return Evaluate(access.WhenNotNull, classify, visited, depth);
            case IConditionalAccessInstanceOperation instance:
                return ConditionalAccessReceiver(instance) is { } receiver ? Evaluate(receiver, classify, visited, depth) : null;
            case IAwaitOperation awaited:
                return Evaluate(awaited.Operation, classify, visited, depth);
            case IAssignmentOperation assignment:
                return Evaluate(assignment.Value, classify, visited, depth);
            case ISwitchExpressionOperation switchExpression:
                return FirstOf(switchExpression.Arms.Select(a => a.Value), classify, visited, depth);
            case IInterpolatedStringOperation interpolated:
                return FirstOf(interpolated.Parts.Select(InterpolatedValue), classify, visited, depth);
            case IInterpolatedStringHandlerCreationOperation handler:
                return Evaluate(handler.Content, classify, visited, depth);
            case IInterpolatedStringAdditionOperation addition:
                return Evaluate(addition.Left, classify, visited, depth) ?? Evaluate(addition.Right, classify, visited, depth);
            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation, classify, visited, depth);
            case IObjectCreationOperation creation:
                return FirstOf(creation.Arguments.Select(a => a.Value), classify, visited, depth)
                    ?? Evaluate(creation.Initializer, classify, visited, depth);
            case IObjectOrCollectionInitializerOperation initializer:
                return FirstOf(initializer.Initializers, classify, visited, depth);
            case IMemberInitializerOperation member:
                return Evaluate(member.Initializer, classify, visited, depth);
            case IAnonymousObjectCreationOperation anonymous:
                return FirstOf(anonymous.Initializers, classify, visited, depth);
            case ITupleOperation tuple:
                return FirstOf(tuple.Elements, classify, visited, depth);
            case IArrayCreationOperation array:
                return Evaluate(array.Initializer, classify, visited, depth);
            case IArrayInitializerOperation arrayInitializer:
                return FirstOf(arrayInitializer.ElementValues, classify, visited, depth);
            case IArrayElementReferenceOperation element:
                return Evaluate(element.ArrayReference, classify, visited, depth);
            case IArgumentOperation argument:
                return Evaluate(argument.Value, classify, visited, depth);
            case IWithOperation with:
                return Evaluate(with.Operand, classify, visited, depth) ?? Evaluate(with.Initializer, classify, visited, depth);
            case IPropertyReferenceOperation property when IsCopyingProperty(property.Property):
                return Evaluate(property.Instance, classify, visited, depth);
            case IPropertyReferenceOperation { Property.IsIndexer: false } property when IsRangeSlice(property.Syntax):
                return IsShortPrefix(property.Syntax) ? null : Evaluate(property.Instance, classify, visited, depth);
            default:
                // Collection expressions and other shapes this Roslyn has no operation for; ranges (s[4..]).
                return operation.Kind == OperationKind.None || IsRangeSlice(operation.Syntax)
                    ? (IsShortPrefix(operation.Syntax) ? null : FirstOf(operation.ChildOperations, classify, visited, depth))
                    : null;
        }
    }

    private Origin? FirstOf(IEnumerable<IOperation?> operations, Func<IOperation, Origin?> classify, HashSet<ILocalSymbol> visited, int depth)
    {
        foreach (var operation in operations)
        {
            if (Evaluate(operation, classify, visited, depth) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static IOperation? InterpolatedValue(IInterpolatedStringContentOperation part)
        => part switch
        {
            IInterpolationOperation hole => hole.Expression,
            IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation append } when append.Arguments.Length > 0 => append.Arguments[0].Value,
            _ => null,
        };

    private Origin? EvaluateInvocation(IInvocationOperation invocation, Func<IOperation, Origin?> classify, HashSet<ILocalSymbol> visited, int depth)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance;
        if (receiver is not null && receiver is not IInstanceReferenceOperation)
        {
            if (method.Name == "ToString" || IsCopyingInstanceMethod(method))
            {
                return IsMaskingSubstring(invocation) ? null : Evaluate(receiver, classify, visited, depth);
            }

            return null;
        }

        if (!method.IsStatic)
        {
            return null;
        }

        // string.Format/Concat/Join, Convert.ToBase64String, JsonSerializer.Serialize, Task.FromResult, LINQ…
        // and factory methods of the returned type: ErrorResult.Failed(ex.Message).
        var containing = method.ContainingType;
        var copies = (containing is not null && CopyingStaticTypes.Contains(FullName(containing)))
            || (containing is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType.OriginalDefinition, containing.OriginalDefinition));
        return copies ? FirstOf(invocation.Arguments.Select(a => a.Value), classify, visited, depth) : null;
    }

    private static bool IsCopyingInstanceMethod(IMethodSymbol method)
        => method.ContainingType?.SpecialType == SpecialType.System_String
            ? CopyingStringMethods.Contains(method.Name)
            : FullName(method.ContainingType) switch
            {
                "System.Text.StringBuilder" or "System.Text.Encoding" or "System.IO.StringWriter" => true,
                // payload.GetProperty("api_key").GetString(), node["token"].GetValue<string>()
                "System.Text.Json.JsonElement" => method.Name is "GetString" or "GetRawText",
                "System.Text.Json.Nodes.JsonNode" or "System.Text.Json.Nodes.JsonValue" => method.Name is "GetValue" or "ToJsonString",
                // A header's values: headers["Authorization"].ToArray()
                "Microsoft.Extensions.Primitives.StringValues" => method.Name is "ToArray" or "ToString",
                _ => method.ContainingType?.BaseType is { } baseType && FullName(baseType) == "System.Text.Encoding",
            };

    /// <summary>
    /// Properties whose value is (part of) their instance's text: the credentials of an
    /// <c>AuthenticationHeaderValue</c> (<c>AuthenticationHeaderValue.Parse(header).Parameter</c> is the
    /// token without its scheme), and one value of a header's <c>StringValues</c> (<c>values[0]</c>).
    /// </summary>
    private static bool IsCopyingProperty(IPropertySymbol property)
        => property.IsIndexer
            ? FullName(property.ContainingType) == "Microsoft.Extensions.Primitives.StringValues"
            : property.Name == "Parameter" && FullName(property.ContainingType) == "System.Net.Http.Headers.AuthenticationHeaderValue";

    /// <summary><c>token.Substring(0, 4)</c>: a short prefix, the usual way to show which key was used without showing it.</summary>
    private static bool IsMaskingSubstring(IInvocationOperation invocation)
        => invocation.TargetMethod is { Name: "Substring", ContainingType.SpecialType: SpecialType.System_String }
            && invocation.Arguments.Length == 2
            && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 }
            && invocation.Arguments[1].Value.ConstantValue is { HasValue: true, Value: int length }
            && length <= 8;

    private static bool IsRangeSlice(SyntaxNode syntax)
        => syntax is ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } && arguments[0].Expression is RangeExpressionSyntax;

    /// <summary><c>token[..4]</c>: a short prefix.</summary>
    private static bool IsShortPrefix(SyntaxNode syntax)
        => syntax is ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments }
            && arguments[0].Expression is RangeExpressionSyntax range
            && range.LeftOperand is null or LiteralExpressionSyntax { Token.ValueText: "0" }
            && range.RightOperand is LiteralExpressionSyntax { Token.Value: int length }
            && length <= 8;

    private static IOperation? ConditionalAccessReceiver(IConditionalAccessInstanceOperation instance)
    {
        for (var current = instance.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalAccessOperation access && !access.Operation.DescendantsAndSelf().Contains(instance))
            {
                return access.Operation;
            }
        }

        return null;
    }

    public static string FullName(INamedTypeSymbol? type)
        => type is null ? string.Empty
            : type.ContainingNamespace is null or { IsGlobalNamespace: true } ? type.MetadataName
            : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;
}

/// <summary>What a traced value turned out to carry, in words a message can use.</summary>
internal sealed class Origin
{
    public Origin(OriginKind kind, string description, IOperation operation)
    {
        Kind = kind;
        Description = description;
        Operation = operation;
    }

    public OriginKind Kind { get; }

    /// <summary>"the exception's message", "the secret-named value 'ApiKey'", …</summary>
    public string Description { get; }

    /// <summary>The operation the classifier recognised (<c>ex.Message</c>, <c>_apiKey</c>).</summary>
    public IOperation Operation { get; }
}

internal enum OriginKind
{
    /// <summary><c>ex.Message</c>: MCPSEC503 as a warning.</summary>
    ExceptionMessage,

    /// <summary><c>ex.ToString()</c>, <c>StackTrace</c>, the exception object: MCPSEC503 as an error.</summary>
    ExceptionText,

    /// <summary>A secret or credential: MCPSEC504.</summary>
    Secret,
}
