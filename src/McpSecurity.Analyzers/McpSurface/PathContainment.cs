using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The containment checks MCPSEC605 accepts, by shape. A path is contained when, before the file call
/// in the same body, one of these tests the value the call uses:
/// <list type="bullet">
/// <item><c>full.StartsWith(rootWithSeparator, StringComparison.Ordinal[IgnoreCase])</c> where <c>full</c>
/// comes from <c>Path.GetFullPath</c> (or <c>FileSystemInfo.FullName</c>) and the root ends with a
/// separator (<c>root + Path.DirectorySeparatorChar</c>, a literal ending in '/', an interpolation
/// ending in one, <c>Path.TrimEndingDirectorySeparator(root) + sep</c>, a conditional with such a branch).</item>
/// <item><c>Path.GetRelativePath(root, full)</c> whose result is tested against <c>".."</c>.</item>
/// <item>A call to a method of the compilation that performs one of the above (a guard that throws, or
/// returns a bool the caller tests), a few calls deep.</item>
/// </list>
/// Not accepted, because each is bypassed: <c>StartsWith(root)</c> without the separator
/// (<c>/srv/app-secrets</c>), a culture-sensitive <c>StartsWith</c> (it ignores zero-width and soft-hyphen
/// characters, so <c>/srv/ap\u00ADp</c> passes for <c>/srv/app</c>), a check on a path that was not
/// resolved with <c>GetFullPath</c> (<c>root/../../etc</c> starts with <c>root/</c>), <c>Path.Combine</c>
/// alone (an absolute argument drops the root) and <c>Replace("..", "")</c> (<c>....//</c> becomes <c>../</c>).
/// A value built only from <c>Path.GetFileName(input)</c> and trusted parts is contained for a file API
/// (one segment, and <c>..</c> there names a directory, which a file API refuses) but not for a directory API.
/// </summary>
internal sealed class PathContainment
{
    private const int MaxGuardDepth = 3;
    private const int MaxDepth = 12;

    private readonly Compilation compilation;
    private readonly INamedTypeSymbol? path;
    private readonly INamedTypeSymbol? fileSystemInfo;
    private readonly Shared.Taint.InertTypes inert;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<(bool HasCheck, ImmutableArray<IMethodSymbol> Callees)>> guards = new(SymbolEqualityComparer.Default);

    public PathContainment(Compilation compilation, Shared.Taint.InertTypes inert)
    {
        this.compilation = compilation;
        this.inert = inert;
        path = compilation.GetTypeByMetadataName("System.IO.Path");
        fileSystemInfo = compilation.GetTypeByMetadataName("System.IO.FileSystemInfo");
    }

    /// <summary>The containment facts of one body: its checks, found once, and its local assignments.</summary>
    public Body ForBody(ImmutableArray<IOperation> blocks, ISymbol owningSymbol)
        => new(this, blocks, owningSymbol, ValueTrace.Build(blocks, inert));

    internal sealed class Body
    {
        private readonly PathContainment owner;
        private readonly ImmutableArray<IOperation> blocks;
        private readonly ISymbol owningSymbol;
        private readonly ValueTrace trace;
        private List<(IOperation Subject, int Position)>? checks;

        public Body(PathContainment owner, ImmutableArray<IOperation> blocks, ISymbol owningSymbol, ValueTrace trace)
        {
            this.owner = owner;
            this.blocks = blocks;
            this.owningSymbol = owningSymbol;
            this.trace = trace;
        }

        /// <summary>Whether a recognised check before <paramref name="sink"/> tests the value it uses.</summary>
        public bool IsContained(FilePathSink sink, Func<IOperation, bool> isUntrusted)
        {
            var value = SecretOperations.SkipConversions(sink.Path)!;
            if (!sink.IsDirectory && owner.IsFileNameOnly(value, isUntrusted, trace, 0))
            {
                return true;
            }

            checks ??= FindChecks();
            var position = sink.Call.Syntax.SpanStart;
            foreach (var (subject, checkPosition) in checks)
            {
                if (checkPosition < position && (SameSubject(subject, value) || NormalizedFrom(subject, value, 0)))
                {
                    return true;
                }
            }

            return false;
        }

        private List<(IOperation, int)> FindChecks()
        {
            var found = new List<(IOperation, int)>();
            foreach (var block in blocks)
            {
                foreach (var operation in block.DescendantsAndSelf())
                {
                    if (operation is not IInvocationOperation invocation)
                    {
                        continue;
                    }

                    if (owner.StartsWithCheckSubject(invocation, trace, requireFullPath: true) is { } subject)
                    {
                        found.Add((subject, invocation.Syntax.SpanStart));
                    }
                    else if (owner.RelativePathCheckSubject(invocation, trace) is { } relativeSubject)
                    {
                        found.Add((relativeSubject, invocation.Syntax.SpanStart));
                    }
                    else if (owner.IsGuardCall(invocation, owningSymbol))
                    {
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Value.Type?.SpecialType == SpecialType.System_String)
                            {
                                found.Add((argument.Value, invocation.Syntax.SpanStart));
                            }
                        }
                    }
                }
            }

            return found;
        }

        /// <summary>The check tests what the call uses: the same local or parameter, <c>GetFullPath</c> of it, or the same expression.</summary>
        private static bool SameSubject(IOperation subject, IOperation value)
        {
            subject = SecretOperations.SkipConversions(subject)!;
            if (Symbol(subject) is { } checkedSymbol && SymbolEqualityComparer.Default.Equals(checkedSymbol, Symbol(value)))
            {
                return true;
            }

            if (subject is IInvocationOperation { TargetMethod.Name: "GetFullPath", Arguments.Length: 1 } fullPath
                && SameSubject(fullPath.Arguments[0].Value, value))
            {
                return true;
            }

            return SecretOperations.SameValue(subject, value);
        }

        /// <summary>
        /// <c>if (!roots.Contains(path)) return …; var full = Path.GetFullPath(path); File.Exists(full)</c>: the call
        /// uses a local that only ever holds the checked value resolved to its full path, or its folder
        /// (<c>Path.GetDirectoryName</c>: the folder of a contained path is inside the root or the root itself).
        /// </summary>
        private bool NormalizedFrom(IOperation subject, IOperation value, int depth)
        {
            if (depth > 4 || SecretOperations.SkipConversions(value) is not ILocalReferenceOperation local)
            {
                return false;
            }

            var assignments = trace.AssignmentsOf(local.Local);
            return assignments.Count > 0 && assignments.All(assigned =>
                SecretOperations.SkipConversions(assigned) is IInvocationOperation { TargetMethod.Name: "GetFullPath" or "GetDirectoryName", Arguments.Length: >= 1 } fullPath
                    && (SameSubject(subject, fullPath.Arguments[0].Value) || NormalizedFrom(subject, fullPath.Arguments[0].Value, depth + 1)));
        }

        private static ISymbol? Symbol(IOperation operation)
            => SecretOperations.SkipConversions(operation) switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
    }

    /// <summary>
    /// <c>full.StartsWith(root + sep, StringComparison.Ordinal)</c>: the tested value (<c>full</c>), or null when
    /// the call is not such a check. <paramref name="requireFullPath"/>: the tested value must be resolved
    /// with GetFullPath in this body (a guard helper's parameter is resolved by its caller, or not: see the limits).
    /// </summary>
    private IOperation? StartsWithCheckSubject(IInvocationOperation invocation, ValueTrace trace, bool requireFullPath)
    {
        var method = invocation.TargetMethod;
        if (method.Name != "StartsWith")
        {
            return null;
        }

        IOperation? subject;
        IOperation? prefix;
        if (method.ContainingType?.SpecialType == SpecialType.System_String && invocation.Instance is { } instance)
        {
            // Only an ordinal comparison: a culture comparison ignores zero-width and soft-hyphen characters.
            if (invocation.Arguments.Length != 2 || !IsOrdinal(invocation.Arguments[1].Value, trace))
            {
                return null;
            }

            subject = instance;
            prefix = invocation.Arguments[0].Value;
        }
        else if (method.IsStatic && method.ContainingType?.Name == "MemoryExtensions" && invocation.Arguments.Length >= 2)
        {
            // span.StartsWith(other) is ordinal; with a comparison, it must be an ordinal one.
            if (invocation.Arguments.Length == 3 && !IsOrdinal(invocation.Arguments[2].Value, trace))
            {
                return null;
            }

            subject = Unspan(invocation.Arguments[0].Value);
            prefix = Unspan(invocation.Arguments[1].Value);
        }
        else
        {
            return null;
        }

        if (!EndsWithSeparator(prefix, trace, 0) || requireFullPath && !IsFullPath(subject, trace, 0))
        {
            return null;
        }

        return subject;
    }

    /// <summary><c>Path.GetRelativePath(root, full)</c> whose result is tested against "..": the tested value (<c>full</c>), or null.</summary>
    private IOperation? RelativePathCheckSubject(IInvocationOperation invocation, ValueTrace trace)
    {
        if (!IsDotDotTest(invocation, out var tested))
        {
            return null;
        }

        tested = SecretOperations.SkipConversions(tested);
        if (IsGetRelativePath(tested) is { } direct)
        {
            return direct;
        }

        if (tested is ILocalReferenceOperation local)
        {
            foreach (var assigned in trace.AssignmentsOf(local.Local))
            {
                if (IsGetRelativePath(SecretOperations.SkipConversions(assigned)) is { } viaLocal)
                {
                    return viaLocal;
                }
            }
        }

        return null;
    }

    private IOperation? IsGetRelativePath(IOperation? operation)
        => operation is IInvocationOperation { TargetMethod.Name: "GetRelativePath", Arguments.Length: 2 } call
            && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, path)
                ? call.Arguments[1].Value
                : null;

    /// <summary><c>relative.StartsWith("..")</c>, <c>relative.StartsWith(".." + sep)</c>, <c>relative.Equals("..")</c>.</summary>
    private static bool IsDotDotTest(IInvocationOperation invocation, out IOperation? tested)
    {
        tested = null;
        if (invocation.TargetMethod.Name is not ("StartsWith" or "Equals") || invocation.Arguments.Length == 0)
        {
            return false;
        }

        IOperation? argument;
        if (invocation.Instance is { } instance)
        {
            tested = instance;
            argument = invocation.Arguments[0].Value;
        }
        else if (invocation.Arguments.Length >= 2)
        {
            tested = Unspan(invocation.Arguments[0].Value);
            argument = Unspan(invocation.Arguments[1].Value);
        }
        else
        {
            return false;
        }

        return StartsWithDotDot(argument);
    }

    private static bool StartsWithDotDot(IOperation? operation)
    {
        operation = SecretOperations.SkipConversions(operation);
        return operation switch
        {
            { ConstantValue: { HasValue: true, Value: string text } } => text.StartsWith("..", StringComparison.Ordinal),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary => StartsWithDotDot(binary.LeftOperand),
            IInterpolatedStringOperation { Parts.Length: > 0 } interpolated
                => interpolated.Parts[0] is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string first } && first.StartsWith("..", StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>A call to a method of this compilation whose body performs a recognised check (not the method being analysed).</summary>
    private bool IsGuardCall(IInvocationOperation invocation, ISymbol owningSymbol)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        return method.DeclaringSyntaxReferences.Length > 0
            && !SymbolEqualityComparer.Default.Equals(method, owningSymbol.OriginalDefinition)
            && invocation.Arguments.Any(a => a.Value.Type?.SpecialType == SpecialType.System_String)
            && IsGuardMethod(method, 0);
    }

    /// <summary>Whether the body of a method of the compilation itself performs a recognised containment check (cached per compilation).</summary>
    internal bool ChecksItself(IMethodSymbol method) => GuardFacts(method.OriginalDefinition).HasCheck;

    private bool IsGuardMethod(IMethodSymbol method, int depth)
    {
        if (depth > MaxGuardDepth)
        {
            return false;
        }

        var facts = GuardFacts(method);
        if (facts.HasCheck)
        {
            return true;
        }

        foreach (var callee in facts.Callees)
        {
            if (IsGuardMethod(callee, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one method's own body says, bound once per compilation: whether it checks, and which methods of the compilation it calls.</summary>
    private (bool HasCheck, ImmutableArray<IMethodSymbol> Callees) GuardFacts(IMethodSymbol method)
        => guards.GetOrAdd(method, m => new Lazy<(bool, ImmutableArray<IMethodSymbol>)>(() => ComputeGuardFacts(m), LazyThreadSafetyMode.PublicationOnly)).Value;

    private (bool HasCheck, ImmutableArray<IMethodSymbol> Callees) ComputeGuardFacts(IMethodSymbol method)
    {
        if (Bind(method) is not { } body)
        {
            return (false, ImmutableArray<IMethodSymbol>.Empty);
        }

        var blocks = ImmutableArray.Create(body);
        var trace = ValueTrace.Build(blocks, inert);
        var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            if (StartsWithCheckSubject(invocation, trace, requireFullPath: false) is not null
                || RelativePathCheckSubject(invocation, trace) is not null)
            {
                return (true, ImmutableArray<IMethodSymbol>.Empty);
            }

            var callee = invocation.TargetMethod.OriginalDefinition;
            if (callee.DeclaringSyntaxReferences.Length > 0 && !SymbolEqualityComparer.Default.Equals(callee, method) && !callees.Contains(callee, SymbolEqualityComparer.Default))
            {
                callees.Add(callee);
            }
        }

        return (false, callees.ToImmutable());
    }

    /// <summary>The operations of a method declared in this compilation, or null.</summary>
    internal IOperation? Bind(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        SyntaxNode? body = syntax switch
        {
            BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };

        if (body is null || !compilation.ContainsSyntaxTree(body.SyntaxTree))
        {
            return null;
        }

        // A callee's body lives in another tree than the body being analysed; its model is asked once
        // per method and per compilation (guards and helper summaries are cached), only for a method
        // a tool calls with its input.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = compilation.GetSemanticModel(body.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(body);
    }

    /// <summary>Whether the value ends with a directory separator, so that a prefix test stops at a folder boundary.</summary>
    private bool EndsWithSeparator(IOperation? operation, ValueTrace trace, int depth)
    {
        operation = SecretOperations.SkipConversions(operation);
        if (operation is null || depth > MaxDepth)
        {
            return false;
        }

        depth++;
        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: string text } }:
                return text.Length > 0 && IsSeparator(text[text.Length - 1]);
            case { ConstantValue: { HasValue: true, Value: char character } }:
                return IsSeparator(character);
            case IFieldReferenceOperation { Field.Name: "DirectorySeparatorChar" or "AltDirectorySeparatorChar" } field
                when SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, path):
                return true;
            case IInvocationOperation { TargetMethod.Name: "ToString", Instance: { } instance }:
                return EndsWithSeparator(instance, trace, depth);
            case IInvocationOperation { TargetMethod: { Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } concat:
                return concat.Arguments.Length > 0 && EndsWithSeparator(LastValue(concat.Arguments[concat.Arguments.Length - 1].Value), trace, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                return EndsWithSeparator(binary.RightOperand, trace, depth);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound:
                return EndsWithSeparator(compound.Value, trace, depth);
            case IInterpolatedStringOperation { Parts.Length: > 0 } interpolated:
                return interpolated.Parts[interpolated.Parts.Length - 1] switch
                {
                    IInterpolatedStringTextOperation { Text.ConstantValue.Value: string last } => last.Length > 0 && IsSeparator(last[last.Length - 1]),
                    IInterpolationOperation hole => EndsWithSeparator(hole.Expression, trace, depth),
                    _ => false,
                };
            case IConditionalOperation conditional:
                // root.EndsWith(sep) ? root : root + sep; Path.EndsInDirectorySeparator(root) ? … : …
                return EndsWithSeparator(conditional.WhenTrue, trace, depth) || EndsWithSeparator(conditional.WhenFalse, trace, depth);
            case ICoalesceOperation coalesce:
                return EndsWithSeparator(coalesce.Value, trace, depth);
            case ILocalReferenceOperation local:
                // if (!Path.EndsInDirectorySeparator(root)) root += Path.DirectorySeparatorChar;
                return trace.AssignmentsOf(local.Local).Any(value => EndsWithSeparator(value, trace, depth));
            case IFieldReferenceOperation field:
                return EndsWithSeparator(Initializer(field.Field, operation.SemanticModel), trace, depth);
            case IPropertyReferenceOperation property:
                return EndsWithSeparator(Initializer(property.Property, operation.SemanticModel), trace, depth);
            default:
                return false;
        }
    }

    private static IOperation? LastValue(IOperation value)
        => value is IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } items } ? items[items.Length - 1] : value;

    private static bool IsSeparator(char character) => character is '/' or '\\';

    /// <summary>The initializer of a field or auto-property declared in the same tree (a root with its separator kept in a field).</summary>
    private static IOperation? Initializer(ISymbol member, SemanticModel? model)
    {
        if (model is null || member.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = member.DeclaringSyntaxReferences[0].GetSyntax();
        var value = syntax switch
        {
            VariableDeclaratorSyntax { Initializer: { } initializer } => initializer.Value,
            PropertyDeclarationSyntax { Initializer: { } initializer } => initializer.Value,
            PropertyDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            _ => null,
        };
        return value is not null && value.SyntaxTree == model.SyntaxTree ? model.GetOperation(value) : null;
    }

    /// <summary>Whether the value was resolved with <c>Path.GetFullPath</c> (or is a <c>FileSystemInfo.FullName</c>), so '..' is gone.</summary>
    private bool IsFullPath(IOperation? operation, ValueTrace trace, int depth)
    {
        operation = SecretOperations.SkipConversions(operation);
        if (operation is null || depth > MaxDepth)
        {
            return false;
        }

        depth++;
        return operation switch
        {
            IInvocationOperation { TargetMethod.Name: "GetFullPath" } call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, path),
            IPropertyReferenceOperation { Property.Name: "FullName" } property => property.Property.ContainingType.DerivesFrom(fileSystemInfo),
            IInvocationOperation { TargetMethod.Name: "ToString" or "AsSpan", Instance: { } instance } => IsFullPath(instance, trace, depth),
            IInvocationOperation { TargetMethod: { Name: "AsSpan", IsExtensionMethod: true }, Arguments.Length: > 0 } span => IsFullPath(span.Arguments[0].Value, trace, depth),
            ILocalReferenceOperation local => trace.AssignmentsOf(local.Local).Any(value => IsFullPath(value, trace, depth)),
            _ => false,
        };
    }

    /// <summary>
    /// An ordinal comparison: the constant, or a choice between ordinal ones held in a local or a field
    /// (<c>OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal</c>).
    /// </summary>
    private static bool IsOrdinal(IOperation? comparison, ValueTrace trace, int depth = 0)
    {
        comparison = SecretOperations.SkipConversions(comparison);
        if (comparison is null || depth > MaxDepth)
        {
            return false;
        }

        depth++;
        return comparison switch
        {
            { ConstantValue: { HasValue: true, Value: int value } } => value is (int)StringComparison.Ordinal or (int)StringComparison.OrdinalIgnoreCase,
            IConditionalOperation conditional => IsOrdinal(conditional.WhenTrue, trace, depth) && IsOrdinal(conditional.WhenFalse, trace, depth),
            ILocalReferenceOperation local => trace.AssignmentsOf(local.Local) is { Count: > 0 } values && values.All(v => IsOrdinal(v, trace, depth)),
            IFieldReferenceOperation field => IsOrdinal(Initializer(field.Field, comparison.SemanticModel), trace, depth),
            IPropertyReferenceOperation property => IsOrdinal(Initializer(property.Property, comparison.SemanticModel), trace, depth),
            _ => false,
        };
    }

    private static IOperation? Unspan(IOperation? operation)
    {
        operation = SecretOperations.SkipConversions(operation);
        return operation is IInvocationOperation { TargetMethod.Name: "AsSpan" } span
            ? span.Instance ?? (span.Arguments.Length > 0 ? span.Arguments[0].Value : operation)
            : operation;
    }

    /// <summary>
    /// Every untrusted part of the value is <c>Path.GetFileName(…)</c>: through locals, <c>Path.Combine</c>,
    /// <c>Path.Join</c>, concatenation and interpolation.
    /// </summary>
    private bool IsFileNameOnly(IOperation? operation, Func<IOperation, bool> isUntrusted, ValueTrace trace, int depth)
    {
        operation = SecretOperations.SkipConversions(operation);
        if (operation is null || depth > MaxDepth)
        {
            return false;
        }

        depth++;
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "GetFileName" or "GetFileNameWithoutExtension" } call
                when SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, path):
                return true;
            case IInvocationOperation { TargetMethod.Name: "Combine" or "Join" } call
                when SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, path):
                return call.Arguments.SelectMany(Values).All(part => !isUntrusted(part) || IsFileNameOnly(part, isUntrusted, trace, depth));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                return Part(binary.LeftOperand) && Part(binary.RightOperand);
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.OfType<IInterpolationOperation>().All(hole => Part(hole.Expression));
            case ILocalReferenceOperation local:
                var assignments = trace.AssignmentsOf(local.Local);
                return assignments.Count > 0 && assignments.All(Part);
            default:
                return false;
        }

        bool Part(IOperation part) => !isUntrusted(part) || IsFileNameOnly(part, isUntrusted, trace, depth);
    }

    private static IEnumerable<IOperation> Values(IArgumentOperation argument)
        => argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items }
            ? items.ElementValues
            : new[] { argument.Value };
}
