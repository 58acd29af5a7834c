using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.Shared;

/// <summary>
/// Finds a Microsoft.Extensions.Logging logger the code at a position can use: a local declared
/// before it, a parameter (primary-constructor ones too), or a field or property of the type that
/// the context may reach (no instance members from static code).
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
                ILocalSymbol local when DeclaredBefore(local, position) => (local.Type, 0),
                IParameterSymbol parameter => (parameter.Type, 0),
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
