using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace McpSecurity.CodeFixes.DataExposure;

/// <summary>
/// MCPSEC503: the text sent to the caller becomes a generic message with a correlation id, and the
/// exception goes to the log under the same id when a logger is in scope:
/// <code>
/// var correlationId = Guid.NewGuid().ToString("N");
/// logger.LogError(ex, "Probe failed; correlation id {CorrelationId}", correlationId);
/// return $"The tool 'ffmpeg_probe' failed. Correlation id: {correlationId}.";
/// </code>
/// The whole message the detail is part of (<c>"Error: " + ex.Message</c>) is replaced. Offered when
/// that message is text in a statement of a block, and the result compiles.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GenericErrorCodeFix))]
public sealed class GenericErrorCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ExceptionDetailsReturned + ".GenericMessage";

    private const string McpExceptionName = "ModelContextProtocol.McpException";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ExceptionDetailsReturned);

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        // The message sits in a statement the fix can put statements before; the rest (a logger or an
        // exception to keep, whether it compiles) is decided when the action is chosen.
        => Task.FromResult(target is ExpressionSyntax && target.FirstAncestorOrSelf<StatementSyntax>() is { Parent: BlockSyntax or SwitchSectionSyntax }
            ? Offer("Return a generic message with a correlation id", EquivalenceKey)
            : None);

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || target is not ExpressionSyntax detail)
        {
            return null;
        }

        var message = WholeMessage(model, detail, cancellationToken);
        if (message.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax or SwitchSectionSyntax } statement)
        {
            return null;
        }

        var position = statement.SpanStart;
        var correlationId = FreeName(model, statement, "correlationId");
        var statements = new List<StatementSyntax>
        {
            SyntaxFactory.ParseStatement($"var {correlationId} = {TypeNames.Minimal(model, position, "System.Guid")}.NewGuid().ToString(\"N\");"),
        };

        var needsLoggingUsing = false;
        var text = GenericText(document, model, statement, cancellationToken);
        var replacement = SyntaxFactory.ParseExpression($"$\"{text} Correlation id: {{{correlationId}}}.\"");
        var marker = new SyntaxAnnotation();
        StatementSyntax newStatement;
        var exception = Exception(model, detail, position, cancellationToken);
        if (LoggerInScope.Find(model, position) is { } logger && exception is not null)
        {
            var member = SymbolNames.MemberName(model.GetEnclosingSymbol(position, cancellationToken));
            statements.Add(SyntaxFactory.ParseStatement(
                $"{logger.Name}.LogError({exception.Name}, \"{member} failed; correlation id {{CorrelationId}}\", {correlationId});"));
            needsLoggingUsing = !LoggerInScope.ExtensionsInScope(model, position, logger);
            newStatement = statement.ReplaceNode(message, replacement.WithTriviaFrom(message).WithAdditionalAnnotations(marker));
        }
        else if (WithoutLogger(model, statement, message, replacement, exception, text, correlationId, marker, cancellationToken) is { } kept)
        {
            newStatement = kept.Statement;
            if (!kept.CarriesCorrelationId)
            {
                statements.Clear();
            }
        }
        else
        {
            return null;
        }

        var inserted = statements.Select(s => s.WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker)
            .WithAdditionalAnnotations(Formatter.Annotation));
        var newRoot = statement.Parent switch
        {
            // catch (Exception ex) { return ex.Message; } on one line: the block becomes a block of several lines.
            BlockSyntax block when IsOnOneLine(block) => root.ReplaceNode(block, SyntaxFactory.Block(Insert(block.Statements, statement, inserted, newStatement))
                .WithTriviaFrom(block).WithAdditionalAnnotations(Formatter.Annotation)),
            BlockSyntax block => root.ReplaceNode(block, block.WithStatements(Insert(block.Statements, statement, inserted, newStatement))),
            SwitchSectionSyntax section => root.ReplaceNode(section, section.WithStatements(Insert(section.Statements, statement, inserted, newStatement))),
            _ => null,
        };
        if (newRoot is null)
        {
            return null;
        }

        if (needsLoggingUsing && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = UsingDirectives.Add(unit, LoggerInScope.LoggingNamespace);
        }

        var fixedDocument = document.WithSyntaxRoot(newRoot);
        return await ArgumentKeysCodeFix.CompilesAsync(fixedDocument, marker, cancellationToken).ConfigureAwait(false) ? fixedDocument : null;
    }

    /// <summary>
    /// Without a logger the generic message must not swallow the exception (that is MCPSEC202, and
    /// its fix would undo this one): the exception travels on as an inner exception instead.
    /// <list type="bullet">
    /// <item>details in an exception's message: <c>new McpException("failed: " + ex)</c> becomes
    /// <c>new McpException($"… {correlationId}.", ex)</c> where a (string, Exception) constructor exists;</item>
    /// <item>details returned from a tool's handler: <c>return $"Error: {ex.Message}";</c> becomes
    /// <c>throw new McpException($"The tool 'x' failed. Correlation id: {correlationId}.", ex);</c>;</item>
    /// <item>details of an exception that is not the handler's own (a parameter): replaced alone.</item>
    /// </list>
    /// Null (no fix) anywhere else in a handler: the exception would be lost. Where the exception goes
    /// on (an inner exception) the correlation id goes with it; where it does not (replaced alone), the
    /// message has no id: an id logged nowhere correlates nothing.
    /// </summary>
    private static (StatementSyntax Statement, bool CarriesCorrelationId)? WithoutLogger(
        SemanticModel model,
        StatementSyntax statement,
        ExpressionSyntax message,
        ExpressionSyntax replacement,
        ISymbol? exception,
        string text,
        string correlationId,
        SyntaxAnnotation marker,
        CancellationToken cancellationToken)
    {
        var exceptionType = model.Compilation.GetTypeByMetadataName("System.Exception");
        if (exception is not null
            && message.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1 } arguments }
            && arguments.Parent is BaseObjectCreationExpressionSyntax creation
            && model.GetTypeInfo(creation, cancellationToken).Type is INamedTypeSymbol created
            && created.DerivesFrom(exceptionType)
            && created.InstanceConstructors.Any(c => c.Parameters.Length == 2
                && c.Parameters[0].Type.SpecialType == SpecialType.System_String
                && SymbolEqualityComparer.Default.Equals(c.Parameters[1].Type, exceptionType)))
        {
            var withInner = arguments.WithArguments(SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.Argument(replacement.WithAdditionalAnnotations(marker)),
                SyntaxFactory.Argument(SyntaxFactory.IdentifierName(exception.Name)),
            }));
            return (statement.ReplaceNode(arguments, withInner), true);
        }

        // Only the handler's own exception, used nowhere but in the replaced message, would be lost.
        var handler = message.FirstAncestorOrSelf<CatchClauseSyntax>();
        var swallows = handler?.Declaration is { Identifier.ValueText.Length: > 0 } declaration
            && exception is not null
            && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declaration, cancellationToken), exception)
            && !handler.Block.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Any(name => name.Identifier.ValueText == exception.Name && !message.Span.Contains(name.Span));
        if (!swallows)
        {
            var generic = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text));
            return (statement.ReplaceNode(message, generic.WithTriviaFrom(message).WithAdditionalAnnotations(marker)), false);
        }

        if (statement is ReturnStatementSyntax
            && text.StartsWith("The tool '", System.StringComparison.Ordinal)
            && model.Compilation.GetTypeByMetadataName(McpExceptionName) is not null)
        {
            var mcpExceptionName = TypeNames.Minimal(model, statement.SpanStart, McpExceptionName);
            return (SyntaxFactory.ParseStatement(
                    $"throw new {mcpExceptionName}($\"{text} Correlation id: {{{correlationId}}}.\", {exception!.Name});")
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(marker), true);
        }

        return null;
    }

    private static bool IsOnOneLine(BlockSyntax block)
    {
        var lines = block.SyntaxTree.GetLineSpan(block.Span);
        return lines.StartLinePosition.Line == lines.EndLinePosition.Line;
    }

    private static SyntaxList<StatementSyntax> Insert(
        SyntaxList<StatementSyntax> list, StatementSyntax original, IEnumerable<StatementSyntax> before, StatementSyntax replacement)
    {
        var index = list.IndexOf(original);
        return list.RemoveAt(index).InsertRange(index, before.Append(replacement));
    }

    /// <summary>
    /// The text the detail is part of: up through concatenation, interpolation and string.Format/Concat,
    /// so <c>"Error: " + ex.Message</c> is replaced as a whole. A detail that is not text (the exception
    /// object given to an object parameter) is replaced on its own.
    /// </summary>
    private static ExpressionSyntax WholeMessage(SemanticModel model, ExpressionSyntax detail, CancellationToken cancellationToken)
    {
        ExpressionSyntax current = detail;
        while (true)
        {
            switch (current.Parent)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    current = parenthesized;
                    continue;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression)
                    && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String:
                    current = binary;
                    continue;
                case InterpolationSyntax { Parent: InterpolatedStringExpressionSyntax interpolated }:
                    current = interpolated;
                    continue;
                case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
                    when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "Format" or "Concat", ContainingType.SpecialType: SpecialType.System_String }:
                    current = invocation;
                    continue;
                case BinaryExpressionSyntax coalesce when coalesce.IsKind(SyntaxKind.CoalesceExpression) && coalesce.Left == current:
                    // ex.StackTrace ?? "": the fallback goes too.
                    current = coalesce;
                    continue;
                default:
                    return current;
            }
        }
    }

    private static string GenericText(Document document, SemanticModel model, StatementSyntax statement, CancellationToken cancellationToken)
    {
        if (model.GetEnclosingSymbol(statement.SpanStart, cancellationToken) is IMethodSymbol method)
        {
            var attributes = RuleOptionReader.GetList(document.Project.AnalyzerOptions, statement.SyntaxTree, RuleCatalog.ToolAttributes);
            if (McpToolMethods.ToolAttribute(method, attributes) is { } attribute)
            {
                return "The tool '" + Escape(McpToolMethods.ToolName(method, attribute)) + "' failed.";
            }
        }

        return "The request failed.";
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");

    /// <summary>
    /// The exception to log: the local or parameter the detail reads (<c>ex</c> of <c>ex.Message</c>,
    /// <c>$"{ex}"</c>), else the enclosing handler's exception, when visible where the log call goes.
    /// </summary>
    private static ISymbol? Exception(SemanticModel model, ExpressionSyntax detail, int position, CancellationToken cancellationToken)
    {
        var exceptionType = model.Compilation.GetTypeByMetadataName("System.Exception");
        var candidates = detail.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Select(name => model.GetSymbolInfo(name, cancellationToken).Symbol)
            .Append(detail.FirstAncestorOrSelf<CatchClauseSyntax>()?.Declaration is { Identifier.ValueText.Length: > 0 } declaration
                ? model.GetDeclaredSymbol(declaration, cancellationToken)
                : null);
        foreach (var candidate in candidates)
        {
            var type = candidate switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                _ => null,
            };
            if (type.DerivesFrom(exceptionType)
                && model.LookupSymbols(position, name: candidate!.Name).Contains(candidate, SymbolEqualityComparer.Default))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FreeName(SemanticModel model, StatementSyntax statement, string name)
    {
        var block = statement.Parent!;
        var taken = new HashSet<string>(block.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? name : name + i;
            if (!taken.Contains(candidate) && model.LookupSymbols(statement.SpanStart, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }
    }
}
