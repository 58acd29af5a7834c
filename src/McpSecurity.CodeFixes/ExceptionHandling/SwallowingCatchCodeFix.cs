using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.ExceptionHandling;

/// <summary>
/// MCPSEC202. The first action (<see cref="DefaultKey"/>, what the command line and <c>dotnet format</c>
/// apply) logs the exception and keeps the fallback where a logger is in scope — the method still
/// returns what it returned — and rethrows where none is (nothing else makes the failure seen).
/// One key for the first action everywhere: a Fix All started on a handler without a logger still
/// keeps the fallback of those that have one. The other actions give every exit that used to leave
/// normally one ending — rethrow; log and rethrow (with a logger); or, in an MCP tool, an
/// McpException with a generic message and the original as inner exception. Filters are kept as
/// they are (the rule does not fire on filtered handlers, and a fix never drops one).
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(SwallowingCatchCodeFix))]
public sealed class SwallowingCatchCodeFix : McpSecurityCodeFix
{
    public const string DefaultKey = RuleIdentifiers.CatchAllSwallowsFailure + ".Default";
    public const string RethrowKey = RuleIdentifiers.CatchAllSwallowsFailure + ".Rethrow";
    public const string LogAndRethrowKey = RuleIdentifiers.CatchAllSwallowsFailure + ".LogAndRethrow";
    public const string ThrowMcpExceptionKey = RuleIdentifiers.CatchAllSwallowsFailure + ".ThrowMcpException";

    private const string McpExceptionName = "ModelContextProtocol.McpException";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CatchAllSwallowsFailure);

    protected override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) => CodeFixTargets.CatchClause(root, diagnostic);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || target is not CatchClauseSyntax catchClause
            || HandlerRewriter.FindNormalExits(model, catchClause) is null)
        {
            return None;
        }

        var logged = LoggerInScope.Find(model, catchClause.Block.SpanStart) is not null;
        var offers = new List<CodeFixOffer>();
        if (logged)
        {
            offers.Add(new("Log the exception and keep the fallback", DefaultKey));
            offers.Add(new("Rethrow the exception", RethrowKey));
            offers.Add(new("Log the exception and rethrow it", LogAndRethrowKey));
        }
        else
        {
            offers.Add(new("Rethrow the exception", DefaultKey));
        }

        if (EnclosingTool(document, model, catchClause, cancellationToken) is not null)
        {
            offers.Add(new("Throw McpException with a generic message", ThrowMcpExceptionKey));
        }

        return offers;
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not CatchClauseSyntax catchClause
            || HandlerRewriter.FindNormalExits(model, catchClause) is not { } exits)
        {
            return null;
        }

        var position = catchClause.Block.SpanStart;
        var defaultLogger = equivalenceKey is null or DefaultKey ? LoggerInScope.Find(model, position) : null;
        switch (equivalenceKey)
        {
            case null or DefaultKey when defaultLogger is not null:
                {
                    var logger = defaultLogger;

                    var name = HandlerRewriter.ExceptionName(model, catchClause);
                    var member = SymbolNames.MemberName(model.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken));
                    var replacement = HandlerRewriter.WithExceptionDeclaration(model, catchClause, name).WithBlock(
                        HandlerRewriter.LogFirst(catchClause.Block, HandlerRewriter.LogErrorStatement(logger.Name, name, member)));
                    return await HandlerRewriter.ReplaceAsync(document, root, catchClause, replacement, !LoggerInScope.ExtensionsInScope(model, position, logger), cancellationToken).ConfigureAwait(false);
                }

            case LogAndRethrowKey:
                {
                    if (LoggerInScope.Find(model, position) is not { } logger)
                    {
                        return null;
                    }

                    var name = HandlerRewriter.ExceptionName(model, catchClause);
                    var member = SymbolNames.MemberName(model.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken));
                    var replacement = HandlerRewriter.WithExceptionDeclaration(model, catchClause, name).WithBlock(
                        HandlerRewriter.RewriteExits(catchClause.Block, exits, HandlerRewriter.Rethrow(), HandlerRewriter.LogErrorStatement(logger.Name, name, member)));
                    return await HandlerRewriter.ReplaceAsync(document, root, catchClause, replacement, !LoggerInScope.ExtensionsInScope(model, position, logger), cancellationToken).ConfigureAwait(false);
                }

            case ThrowMcpExceptionKey:
                {
                    if (EnclosingTool(document, model, catchClause, cancellationToken) is not { } toolName)
                    {
                        return null;
                    }

                    var name = HandlerRewriter.ExceptionName(model, catchClause);
                    var replacement = HandlerRewriter.WithExceptionDeclaration(model, catchClause, name).WithBlock(
                        HandlerRewriter.RewriteExits(catchClause.Block, exits, ThrowMcpException(TypeNames.Minimal(model, position, McpExceptionName), toolName, name)));
                    return await HandlerRewriter.ReplaceAsync(document, root, catchClause, replacement, needsLoggingUsing: false, cancellationToken).ConfigureAwait(false);
                }

            default:
                {
                    var replacement = catchClause.WithBlock(HandlerRewriter.RewriteExits(catchClause.Block, exits, HandlerRewriter.Rethrow()));
                    return await HandlerRewriter.ReplaceAsync(document, root, catchClause, replacement, needsLoggingUsing: false, cancellationToken).ConfigureAwait(false);
                }
        }
    }

    /// <summary>
    /// The tool's name when the handler belongs directly to an MCP tool method (not a lambda or local
    /// function in it, whose exceptions may never reach the client) and the SDK's McpException exists.
    /// </summary>
    private static string? EnclosingTool(Document document, SemanticModel model, CatchClauseSyntax catchClause, CancellationToken cancellationToken)
    {
        if (model.Compilation.GetTypeByMetadataName(McpExceptionName) is null
            || model.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken) is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
        {
            return null;
        }

        var attributes = RuleOptionReader.GetList(document.Project.AnalyzerOptions, catchClause.SyntaxTree, RuleCatalog.ToolAttributes);
        return McpToolMethods.ToolAttribute(method, attributes) is { } attribute
            ? McpToolMethods.ToolName(method, attribute)
            : null;
    }

    /// <summary><c>throw new McpException("The 'tool' tool failed.", ex);</c> — the client sees no detail, the log keeps the inner exception.</summary>
    private static StatementSyntax ThrowMcpException(string mcpExceptionName, string toolName, string exceptionName)
        => SyntaxFactory.ThrowStatement(
            SyntaxFactory.ObjectCreationExpression(
                SyntaxFactory.ParseTypeName(mcpExceptionName),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(
                        SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal($"The '{toolName}' tool failed."))),
                    SyntaxFactory.Argument(SyntaxFactory.IdentifierName(exceptionName)),
                })),
                initializer: null));
}
