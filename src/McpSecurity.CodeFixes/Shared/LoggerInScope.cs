using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// Finds a Microsoft.Extensions.Logging logger the code at a position can use: a local declared
/// before it, a parameter (primary-constructor ones too), or a field or property of the type that
/// the context may reach. Lookup finds names the code may not use there, and each is an error:
/// instance members and primary-constructor parameters from static code (CS0120, CS9105), a local
/// or parameter from inside a static lambda or local function (CS8820, CS8421), a top-level
/// statement's local from a type's member (CS8801).
/// </summary>
internal static class LoggerInScope
{
    public const string LoggerInterfaceName = "Microsoft.Extensions.Logging.ILogger";
    public const string LoggingNamespace = "Microsoft.Extensions.Logging";

    public static ISymbol? Find(SemanticModel model, int position)
    {
        var loggerInterface = model.Compilation.GetTypeByMetadataName(LoggerInterfaceName);
        if (loggerInterface is null)
        {
            return null;
        }

        var staticContext = IsStaticContext(model, position);
        ISymbol? best = null;
        var bestRank = int.MaxValue;
        foreach (var symbol in model.LookupSymbols(position))
        {
            var (type, rank) = symbol switch
            {
                ILocalSymbol local when DeclaredBefore(local, position) && Reachable(model, position, local) => (local.Type, 0),
                IParameterSymbol parameter when IsPrimaryConstructorParameter(parameter)
                    // Last: where a field was initialized from it, capturing it too is CS9124.
                    => staticContext || !InTypeOf(model, position, parameter) ? (null, int.MaxValue) : (parameter.Type, 3),
                IParameterSymbol parameter when Reachable(model, position, parameter) => (parameter.Type, 0),
                IFieldSymbol field when field.IsStatic || !staticContext => (field.Type, 1),
                IPropertySymbol { GetMethod: not null, IsIndexer: false } property when property.IsStatic || !staticContext => (property.Type, 2),
                _ => (null, int.MaxValue),
            };

            if (type is null || rank >= bestRank || !IsLogger(type, loggerInterface))
            {
                continue;
            }

            best = symbol;
            bestRank = rank;
        }

        return best;
    }

    /// <summary>Whether the logging extension methods (LogError, …) bind at <paramref name="position"/> without a new using.</summary>
    public static bool ExtensionsInScope(SemanticModel model, int position, ISymbol logger)
    {
        var type = logger switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        return type is not null
            && model.LookupSymbols(position, type, "LogError", includeReducedExtensionMethods: true).Any();
    }

    /// <summary>Adds <c>using Microsoft.Extensions.Logging;</c> to a compilation unit that lacks it.</summary>
    public static CompilationUnitSyntax AddLoggingUsing(CompilationUnitSyntax root)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == LoggingNamespace))
        {
            return root;
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(LoggingNamespace))
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        return root.AddUsings(directive);
    }

    private static bool IsLogger(ITypeSymbol type, INamedTypeSymbol loggerInterface)
        => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, loggerInterface)
            || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, loggerInterface));

    /// <summary>Whether a local or parameter's function encloses the position without a static function in between.</summary>
    private static bool Reachable(SemanticModel model, int position, ISymbol localOrParameter)
    {
        var owner = localOrParameter.ContainingSymbol;
        for (var symbol = model.GetEnclosingSymbol(position); symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(symbol, owner))
            {
                return true;
            }

            if (symbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction, IsStatic: false })
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsPrimaryConstructorParameter(IParameterSymbol parameter)
        => parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            && constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax);

    /// <summary>Whether the position is in the type that declares the primary constructor (not a nested one).</summary>
    private static bool InTypeOf(SemanticModel model, int position, IParameterSymbol parameter)
    {
        var symbol = model.GetEnclosingSymbol(position);
        while (symbol is not null and not INamedTypeSymbol)
        {
            symbol = symbol.ContainingSymbol;
        }

        return SymbolEqualityComparer.Default.Equals(symbol, parameter.ContainingSymbol.ContainingType);
    }

    private static bool DeclaredBefore(ILocalSymbol local, int position)
        => local.DeclaringSyntaxReferences.Length > 0 && local.DeclaringSyntaxReferences[0].Span.End <= position;

    private static bool IsStaticContext(SemanticModel model, int position)
    {
        for (var symbol = model.GetEnclosingSymbol(position); symbol is not null; symbol = symbol.ContainingSymbol)
        {
            switch (symbol)
            {
                case IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction, IsStatic: false }:
                    continue;
                case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol:
                    return symbol.IsStatic;
                case INamedTypeSymbol:
                    return true;
            }
        }

        return true;
    }
}
