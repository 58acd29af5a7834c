using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace McpSecurity.Analyzers.Shared.Taint;

/// <summary>
/// The per-compilation half of the untrusted-MCP-input model: which methods, parameters, properties
/// and types are sources, resolved once per compilation and per configuration file. Create it in
/// <c>RegisterCompilationStartAction</c>, then ask <see cref="ForMethod"/> for one method body at a time.
/// Nothing here looks beyond the method being analysed: builds stay fast on big solutions.
/// </summary>
internal sealed class UntrustedInputSources
{
    private const string CallToolRequestParamsName = "ModelContextProtocol.Protocol.CallToolRequestParams";

    private static readonly string[] DelegateToolFactories =
    {
        "ModelContextProtocol.Server.McpServerTool",
        "ModelContextProtocol.Server.McpServerPrompt",
        "ModelContextProtocol.Server.McpServerResource",
    };

    private readonly Compilation compilation;
    private readonly AnalyzerConfigOptionsProvider options;
    private readonly ConcurrentDictionary<SyntaxTree, Configuration> configurations = new();
    private readonly ConcurrentDictionary<string, Configuration> configurationsByText = new(StringComparer.Ordinal);

    private UntrustedInputSources(Compilation compilation, AnalyzerConfigOptionsProvider options)
    {
        this.compilation = compilation;
        this.options = options;
        CallToolRequestParams = compilation.GetTypeByMetadataName(CallToolRequestParamsName);
        ToolFactories = DelegateToolFactories
            .Select(compilation.GetTypeByMetadataName)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();
        Inert = new InertTypes(compilation);
    }

    internal INamedTypeSymbol? CallToolRequestParams { get; }

    internal ImmutableArray<INamedTypeSymbol> ToolFactories { get; }

    internal InertTypes Inert { get; }

    public static UntrustedInputSources Create(Compilation compilation, AnalyzerOptions options)
        => new(compilation, options.AnalyzerConfigOptionsProvider);

    public static UntrustedInputSources Create(Compilation compilation, AnalyzerConfigOptionsProvider options)
        => new(compilation, options);

    /// <summary>
    /// The model of one body: a method, a local function's container, top-level statements, a property
    /// accessor. Lambdas and local functions inside the blocks are part of it.
    /// </summary>
    public UntrustedInputModel ForMethod(ISymbol owningSymbol, ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        var tree = blocks.IsDefaultOrEmpty ? null : blocks[0].Syntax.SyntaxTree;
        return UntrustedInputModel.Build(this, ConfigurationFor(tree), owningSymbol, blocks, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ForMethod(ISymbol, ImmutableArray{IOperation}, CancellationToken)"/>, with more sources: a
    /// parameter of the body (the method's, a lambda's or a local function's) for which
    /// <paramref name="additionalSource"/> returns a name is untrusted too.
    /// </summary>
    public UntrustedInputModel ForMethod(
        ISymbol owningSymbol, ImmutableArray<IOperation> blocks, Func<IParameterSymbol, string?> additionalSource, CancellationToken cancellationToken)
    {
        var tree = blocks.IsDefaultOrEmpty ? null : blocks[0].Syntax.SyntaxTree;
        return UntrustedInputModel.Build(this, ConfigurationFor(tree), owningSymbol, blocks, cancellationToken, additionalSource);
    }

    /// <summary>The model of the body that contains <paramref name="operation"/>.</summary>
    public UntrustedInputModel ForMethod(ISymbol owningSymbol, IOperation operation, CancellationToken cancellationToken)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return ForMethod(owningSymbol, ImmutableArray.Create(root), cancellationToken);
    }

    internal Configuration ConfigurationFor(SyntaxTree? tree)
    {
        if (tree is null)
        {
            return ConfigurationForText(Read(null));
        }

        return configurations.GetOrAdd(tree, t => ConfigurationForText(Read(t)));
    }

    private string Read(SyntaxTree? tree)
        => string.Join(
            "\n",
            RuleOptionReader.GetList(options, tree, RuleCatalog.ToolAttributes).Aggregate(string.Empty, (a, b) => a + ";" + b),
            RuleOptionReader.GetList(options, tree, RuleCatalog.UntrustedParameters).Aggregate(string.Empty, (a, b) => a + ";" + b),
            RuleOptionReader.GetList(options, tree, RuleCatalog.InjectedParameterTypes).Aggregate(string.Empty, (a, b) => a + ";" + b));

    // Most files share one configuration: resolve its symbols once.
    private Configuration ConfigurationForText(string text)
        => configurationsByText.GetOrAdd(text, t =>
        {
            var lines = t.Split('\n');
            return new Configuration(
                Items(lines[0]),
                UntrustedPlace.ParseAll(compilation, Items(lines[1])),
                Items(lines[2]).Select(compilation.GetTypeByMetadataName).Where(s => s is not null).Select(s => s!).ToImmutableArray());
        });

    private static ImmutableArray<string> Items(string joined)
        => joined.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();

    internal sealed class Configuration
    {
        public Configuration(ImmutableArray<string> toolAttributes, ImmutableArray<UntrustedPlace> places, ImmutableArray<INamedTypeSymbol> injectedTypes)
        {
            ToolAttributes = toolAttributes;
            Places = places;
            InjectedTypes = injectedTypes;
            CommandTypes = places.Where(p => p.MethodName is null).Select(p => p.Type).ToImmutableArray();
        }

        public ImmutableArray<string> ToolAttributes { get; }

        public ImmutableArray<UntrustedPlace> Places { get; }

        public ImmutableArray<INamedTypeSymbol> InjectedTypes { get; }

        /// <summary>Command classes bound from the request: their instance members are client data.</summary>
        public ImmutableArray<INamedTypeSymbol> CommandTypes { get; }
    }
}

/// <summary>
/// One entry of <c>mcpsec.untrusted_parameters</c>: a type (a command class bound from the request),
/// or a method with all or some of its parameters. A method entry covers the method itself and every
/// override and interface implementation of it, which is how servers that dispatch tools through their
/// own <c>IMcpTool.ExecuteAsync(JsonElement arguments, …)</c> are described once.
/// </summary>
internal sealed class UntrustedPlace
{
    private UntrustedPlace(INamedTypeSymbol type, string? methodName, ImmutableArray<string> parameterNames)
    {
        Type = type;
        MethodName = methodName;
        ParameterNames = parameterNames;
    }

    public INamedTypeSymbol Type { get; }

    /// <summary>Null for a command type.</summary>
    public string? MethodName { get; }

    /// <summary>Empty for "every parameter that is not injected".</summary>
    public ImmutableArray<string> ParameterNames { get; }

    public static ImmutableArray<UntrustedPlace> ParseAll(Compilation compilation, ImmutableArray<string> entries)
    {
        var builder = ImmutableArray.CreateBuilder<UntrustedPlace>();
        foreach (var entry in entries)
        {
            if (Parse(compilation, entry.Trim()) is { } place)
            {
                builder.Add(place);
            }
        }

        return builder.ToImmutable();
    }

    private static UntrustedPlace? Parse(Compilation compilation, string entry)
    {
        var parameters = ImmutableArray<string>.Empty;
        var open = entry.IndexOf('(');
        if (open >= 0)
        {
            var close = entry.IndexOf(')', open);
            var inside = entry.Substring(open + 1, (close < 0 ? entry.Length : close) - open - 1);
            parameters = inside.Split('|')
                .Select(p => p.Trim())
                .Where(p => p.Length > 0 && p != "*")
                .ToImmutableArray();
            entry = entry.Substring(0, open).Trim();
        }
        else if (compilation.GetTypeByMetadataName(entry) is { } commandType)
        {
            return new UntrustedPlace(commandType, null, ImmutableArray<string>.Empty);
        }

        var dot = entry.LastIndexOf('.');
        if (dot <= 0 || dot == entry.Length - 1)
        {
            return null;
        }

        var type = compilation.GetTypeByMetadataName(entry.Substring(0, dot));
        return type is null ? null : new UntrustedPlace(type, entry.Substring(dot + 1), parameters);
    }

    /// <summary>Whether <paramref name="method"/> is this entry's method, an override or an implementation of it.</summary>
    public bool Matches(IMethodSymbol method)
    {
        if (MethodName is null || method.Name != MethodName && !method.ExplicitInterfaceImplementations.Any(m => m.Name == MethodName))
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Type))
        {
            return true;
        }

        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.ContainingType?.OriginalDefinition, Type))
            {
                return true;
            }
        }

        if (Type.TypeKind != TypeKind.Interface || method.ContainingType is not { } containing)
        {
            return false;
        }

        foreach (var implemented in containing.AllInterfaces)
        {
            if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, Type))
            {
                continue;
            }

            foreach (var member in implemented.GetMembers(MethodName))
            {
                if (containing.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation
                    && SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public bool Covers(IParameterSymbol parameter)
        => ParameterNames.IsEmpty || ParameterNames.Contains(parameter.Name);
}

/// <summary>
/// Types whose values cannot carry injected text: numbers, booleans, enums, <c>Guid</c>, dates and
/// durations, <c>Type</c>. Parsing input into one of them ends the taint (<c>int.Parse(s)</c>,
/// <c>Enum.Parse&lt;Mode&gt;(s)</c>, <c>Guid.TryParse(s, out var id)</c>). A type the compiler could
/// not bind counts too: in partial code (a file scanned without its project, a half-typed edit) an
/// unknown <c>ToolAction action</c> is most often an enum, and a rule should not guess.
/// </summary>
internal sealed class InertTypes
{
    private readonly ImmutableHashSet<ITypeSymbol> named;

    public InertTypes(Compilation compilation)
    {
        var builder = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in new[]
        {
            "System.Guid", "System.TimeSpan", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly",
            "System.Type", "System.Threading.CancellationToken", "System.Threading.Tasks.Task", "System.Threading.Tasks.ValueTask",
            "System.Numerics.BigInteger", "System.Half", "System.Int128", "System.UInt128",
        })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        named = builder.ToImmutable();
    }

    public bool IsInert(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
            case SpecialType.System_Void:
                return true;
        }

        return type.TypeKind is TypeKind.Enum or TypeKind.Error || named.Contains(type) || named.Contains(type.OriginalDefinition);
    }
}
