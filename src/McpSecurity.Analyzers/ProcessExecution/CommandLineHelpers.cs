using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using McpSecurity.Analyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// Small summaries of the methods a solution runs its command lines through: which string
/// parameters of a method become a process's <c>Arguments</c>. Real MCP servers build a tool's
/// command line with a <c>StringBuilder</c> and hand it to <c>Executor.RunAsync(string arguments)</c>,
/// where <c>Arguments = arguments</c> is all the analyzer would otherwise see. The summary is
/// one level deep and context-free, so it is deterministic and cheap: a method's own launches, plus
/// its parameters passed on to a method whose own launches take them (tool → helper → executor).
/// Computed only for a method that some call site gives a built command line, once per compilation
/// (one bounded method body each, not cancelled midway so that no caller caches a half result).
/// </summary>
internal sealed class CommandLineHelpers
{
    private readonly Compilation compilation;
    private readonly ProcessSymbols symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<HelperSummary>> direct = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, Lazy<HelperSummary>> summaries = new(SymbolEqualityComparer.Default);

    public CommandLineHelpers(Compilation compilation, ProcessSymbols symbols)
    {
        this.compilation = compilation;
        this.symbols = symbols;
    }

    /// <summary>Whether a call to <paramref name="method"/> can be a call to a helper at all (declared in this compilation, with a string parameter).</summary>
    public static bool IsCandidate(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
            && method.DeclaringSyntaxReferences.Length == 1
            && method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String);

    /// <summary>The parameters of <paramref name="method"/> that end up as a command line, directly or through one more helper.</summary>
    public HelperSummary Summary(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return summaries.GetOrAdd(method, m => new Lazy<HelperSummary>(() => ComputeSummary(m), LazyThreadSafetyMode.PublicationOnly)).Value;
    }

    private HelperSummary Direct(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return direct.GetOrAdd(method, m => new Lazy<HelperSummary>(() => ComputeDirect(m), LazyThreadSafetyMode.PublicationOnly)).Value;
    }

    private HelperSummary ComputeSummary(IMethodSymbol method)
    {
        var own = Direct(method);

        // Passing a parameter on takes a bare 'f(arguments)': without one, the method's own launches are all.
        if (BodySyntax(method) is not { } syntax
            || !syntax.DescendantNodes().OfType<ArgumentSyntax>().Any(a => a.Expression is IdentifierNameSyntax name && IsStringParameter(method, name.Identifier.ValueText))
            || Bind(syntax) is not { } body)
        {
            return own;
        }

        var result = own.Programs.ToDictionary(entry => entry.Key, entry => entry.Value);
        foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            if (!IsCandidate(invocation.TargetMethod) || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method))
            {
                continue;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (ParameterOf(argument.Value, method) is { } ordinal
                    && !result.ContainsKey(ordinal)
                    && argument.Parameter is { } parameter
                    && Direct(invocation.TargetMethod).Programs.TryGetValue(parameter.Ordinal, out var program))
                {
                    result[ordinal] = program;
                }
            }
        }

        return result.Count == 0 ? HelperSummary.None : new HelperSummary(result);
    }

    private HelperSummary ComputeDirect(IMethodSymbol method)
    {
        // Only a body that names a process can start one: most methods are ruled out without binding.
        if (BodySyntax(method) is not { } syntax
            || !syntax.DescendantTokens().Any(t => t.ValueText is "Process" or "ProcessStartInfo" or "StartInfo" or "Arguments")
            || Bind(syntax) is not { } body)
        {
            return HelperSummary.None;
        }

        var blocks = new[] { body };
        var launches = ProcessLaunches.Collect(blocks, symbols);
        if (launches.IsEmpty)
        {
            return HelperSummary.None;
        }

        var locals = new LocalValues(blocks);
        var result = new Dictionary<int, string>();
        foreach (var launch in launches)
        {
            foreach (var arguments in launch.Arguments)
            {
                foreach (var leaf in locals.Alternatives(arguments.Value))
                {
                    if (ParameterOf(leaf, method) is { } ordinal && !result.ContainsKey(ordinal))
                    {
                        result[ordinal] = ProcessStartAnalyzer.ExecutableDisplay(launch, locals);
                    }
                }
            }
        }

        return result.Count == 0 ? HelperSummary.None : new HelperSummary(result);
    }

    private static bool IsStringParameter(IMethodSymbol method, string name)
        => method.Parameters.Any(p => p.Name == name && p.Type.SpecialType == SpecialType.System_String);

    /// <summary>The body of a method declared in this compilation.</summary>
    private SyntaxNode? BodySyntax(IMethodSymbol method)
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
        return body is not null && compilation.ContainsSyntaxTree(body.SyntaxTree) ? body : null;
    }

    /// <summary>A body's operations.</summary>
    private IOperation? Bind(SyntaxNode body)
    {
        // A callee's body lives in another tree than the body being analyzed; its model is asked
        // once per method and per compilation, only for a method some call site hands a command line.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = compilation.GetSemanticModel(body.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(body);
    }

    private static int? ParameterOf(IOperation? value, IMethodSymbol method)
        => SecretOperations.SkipConversions(value) is IParameterReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol?.OriginalDefinition, method)
                ? reference.Parameter.Ordinal
                : null;

    public static string Name(IMethodSymbol method)
        => method.MethodKind == MethodKind.LocalFunction || method.ContainingType is null
            ? method.Name
            : method.ContainingType.Name + "." + method.Name;
}

/// <summary>Parameter ordinal → the program its value becomes the command line of (for the message).</summary>
internal sealed class HelperSummary
{
    public static readonly HelperSummary None = new(new Dictionary<int, string>());

    public HelperSummary(IReadOnlyDictionary<int, string> programs) => Programs = programs;

    public IReadOnlyDictionary<int, string> Programs { get; }
}
