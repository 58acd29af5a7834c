using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.Analyzers.McpSurface;

/// <summary>
/// The compilation-wide facts MCPSEC604 needs: whether the compilation runs an MCP server over stdio,
/// and whether it sends console logging to standard error anywhere. A write in a tool class is only
/// wrong because some other file calls <c>WithStdioServerTransport()</c>, so the rule needs the whole
/// compilation; computing it once, on first demand, from the syntax trees (a token scan for a few
/// names, then binding only those) keeps the rule an ordinary operation action that the IDE runs as
/// the user types, instead of a compilation-end action that reports only after a full build.
/// </summary>
internal sealed class StdioServerFacts
{
    private readonly Compilation compilation;
    private readonly StdioSymbols symbols;
    private readonly object gate = new();
    private Snapshot? computed;

    public StdioServerFacts(Compilation compilation, StdioSymbols symbols)
    {
        this.compilation = compilation;
        this.symbols = symbols;
    }

    /// <summary>The facts, computed by the first caller; a cancelled computation is not kept, the next caller redoes it.</summary>
    public Snapshot Get(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref computed);
        if (snapshot is not null)
        {
            return snapshot;
        }

        lock (gate)
        {
            return computed ??= Compute(cancellationToken);
        }
    }

    private Snapshot Compute(CancellationToken cancellationToken)
    {
        bool stdio = false, threshold = false, cleared = false, consoleLogger = false, redirected = false;
        var serverSetups = new HashSet<SyntaxNode>();
        var redirections = new List<SyntaxNode>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SemanticModel? model = null;
            foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || !IsCandidate(token.ValueText) || token.Parent is not SimpleNameSyntax name)
                {
                    continue;
                }

#pragma warning disable RS1030 // The compilation-wide fact needs other trees' bindings; see the class comment for why this is not a compilation-end action.
                model ??= compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
                var wasStdio = stdio;
                switch (token.ValueText)
                {
                    case "WithStdioServerTransport":
                        stdio |= symbol is IMethodSymbol method && symbols.IsSdkBuilderExtension(method);
                        break;
                    case "StdioServerTransport":
                        stdio |= name.Parent is ObjectCreationExpressionSyntax
                            && symbol is INamedTypeSymbol type
                            && SymbolEqualityComparer.Default.Equals(type, symbols.StdioServerTransport);
                        break;
                    case "OpenStandardOutput":
                        stdio |= symbol is IMethodSymbol open && symbols.IsConsole(open.ContainingType) && symbols.IsTransportStream(name, model, cancellationToken);
                        break;
                    case "LogToStandardErrorThreshold":
                        threshold |= symbol is IPropertySymbol property && symbols.IsConsoleLoggerOptions(property.ContainingType);
                        break;
                    case "SetOut":
                        if (symbol is IMethodSymbol setOut && symbols.IsConsole(setOut.ContainingType) && symbols.RedirectsToStandardError(name, model, cancellationToken))
                        {
                            var owner = EnclosingBody(name);
                            redirected |= owner is CompilationUnitSyntax || (owner is MethodDeclarationSyntax { Identifier.ValueText: "Main" } main && main.Modifiers.Any(SyntaxKind.StaticKeyword));
                            redirections.Add(owner);
                        }

                        break;
                    case "ClearProviders":
                        cleared |= symbol is IMethodSymbol clear && clear.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.Logging";
                        break;
                    case "AddSerilog" or "UseSerilog":
                        cleared |= symbol is IMethodSymbol serilog ? ReplacesLoggerFactory(serilog) : LooksLikeReplacingSerilog(name);
                        break;
                    default:
                        consoleLogger |= symbol is IMethodSymbol add && symbols.IsConsoleLoggerExtension(add);
                        break;
                }

                if (stdio && !wasStdio)
                {
                    serverSetups.Add(EnclosingBody(name));
                }
            }
        }

        foreach (var owner in redirections)
        {
            redirected |= serverSetups.Contains(owner);
        }

        return new Snapshot(stdio, threshold, cleared, consoleLogger, redirected);
    }

    /// <summary>
    /// Serilog's <c>services.AddSerilog()</c> and <c>hostBuilder.UseSerilog()</c> replace the logger
    /// factory, so the host's default console provider never writes (the SDK sample TestServerWithHosting
    /// does this); <c>logging.AddSerilog()</c> on an <c>ILoggingBuilder</c> only adds a provider next to it.
    /// </summary>
    private static bool ReplacesLoggerFactory(IMethodSymbol method)
    {
        var extension = method.ReducedFrom ?? method;
        return extension.IsExtensionMethod
            && extension.Parameters.Length > 0
            && extension.Parameters[0].Type.Name is "IServiceCollection" or "IHostBuilder"
            && extension.ContainingNamespace?.ToDisplayString().StartsWith("Serilog", System.StringComparison.Ordinal) == true;
    }

    /// <summary>
    /// Where Serilog is not referenced (partial code, a scan of loose files) the call does not bind:
    /// <c>x.Services.AddSerilog(…)</c> and <c>UseSerilog(…)</c> are taken at their word, since
    /// counting them only spares a report.
    /// </summary>
    private static bool LooksLikeReplacingSerilog(SimpleNameSyntax name)
        => name.Identifier.ValueText == "UseSerilog"
            || (name.Parent is MemberAccessExpressionSyntax { Expression: var receiver } access
                && access.Name == name
                && receiver is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Services" } or IdentifierNameSyntax { Identifier.ValueText: "services" });

    /// <summary>
    /// The method (or top-level statements) a node is written in. <c>Console.SetOut(Console.Error)</c>
    /// protects the server only where the server is set up — the entry point, or the method that
    /// starts the stdio transport — not in another command's action (a worker mode that uses stdout
    /// for something else).
    /// </summary>
    private static SyntaxNode EnclosingBody(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is GlobalStatementSyntax)
            {
                return current.Parent ?? current;
            }

            if (current is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or MemberDeclarationSyntax)
            {
                return current;
            }
        }

        return node.SyntaxTree.GetRoot();
    }

    private static bool IsCandidate(string text) => text switch
    {
        "WithStdioServerTransport" or "StdioServerTransport" or "OpenStandardOutput" or "LogToStandardErrorThreshold" or "ClearProviders" or "SetOut" => true,
        "AddSerilog" or "UseSerilog" => true,
        _ => StdioSymbols.IsConsoleLoggerExtensionName(text),
    };

    internal sealed class Snapshot
    {
        public Snapshot(bool isStdioServer, bool setsStandardErrorThreshold, bool clearsLoggingProviders, bool addsConsoleLogger, bool redirectsConsoleOut)
        {
            RedirectsConsoleOut = redirectsConsoleOut;
            IsStdioServer = isStdioServer;
            SetsStandardErrorThreshold = setsStandardErrorThreshold;
            ClearsLoggingProviders = clearsLoggingProviders;
            AddsConsoleLogger = addsConsoleLogger;
        }

        /// <summary>Calls <c>WithStdioServerTransport()</c>, creates a <c>StdioServerTransport</c>, or hands <c>Console.OpenStandardOutput()</c> to a stream transport.</summary>
        public bool IsStdioServer { get; }

        /// <summary>Assigns <c>ConsoleLoggerOptions.LogToStandardErrorThreshold</c> somewhere (a wrong value is reported where it is set).</summary>
        public bool SetsStandardErrorThreshold { get; }

        /// <summary>Calls <c>ClearProviders()</c>, which removes the host's default console logger.</summary>
        public bool ClearsLoggingProviders { get; }

        /// <summary>Calls <c>AddConsole</c> (or a formatter variant), which is reported on its own when it stays on stdout.</summary>
        public bool AddsConsoleLogger { get; }

        /// <summary>Calls <c>Console.SetOut(Console.Error)</c> in the entry point or where it starts the stdio transport: <c>Console.Write*</c> and <c>Console.Out</c> reach standard error.</summary>
        public bool RedirectsConsoleOut { get; }
    }
}
