using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Formatting;

namespace McpSecurity.CodeFixes.ExceptionHandling;

/// <summary>
/// The rewrites the S2 fixes share: make every exit that leaves a handler normally throw instead,
/// name the caught exception, and log it first.
/// </summary>
internal static class HandlerRewriter
{
    /// <summary>
    /// The statements through which the handler leaves normally (return, break, continue), and
    /// whether its end is reachable. Null when a rewrite cannot keep the code compiling: a goto or
    /// yield break, or an exit inside a nested catch (where 'throw;' rethrows another exception) or
    /// finally (where 'throw;' is not allowed).
    /// </summary>
    public static NormalExits? FindNormalExits(SemanticModel model, CatchClauseSyntax catchClause)
    {
        var flow = model.AnalyzeControlFlow(catchClause.Block);
        if (flow is null || !flow.Succeeded)
        {
            return null;
        }

        foreach (var exit in flow.ExitPoints)
        {
            if (exit is not (ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax))
            {
                return null;
            }

            for (var node = exit.Parent; node is not null && node != catchClause; node = node.Parent)
            {
                if (node is CatchClauseSyntax or FinallyClauseSyntax)
                {
                    return null;
                }
            }
        }

        return new NormalExits(flow.ExitPoints, flow.EndPointIsReachable);
    }

    /// <summary>
    /// The handler with each normal exit replaced by <paramref name="exitStatement"/> (appended at the
    /// end when the end is reachable) and <paramref name="prologue"/> put first.
    /// </summary>
    public static BlockSyntax RewriteExits(BlockSyntax block, NormalExits exits, StatementSyntax exitStatement, StatementSyntax? prologue = null)
    {
        var rewritten = block.ReplaceNodes(
            exits.Statements,
            (original, _) => exitStatement.WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation));

        if (exits.EndPointIsReachable)
        {
            // catch { // Swallow: logging must never throw }: the comment stays above the new
            // statement it explains, not after it on the closing brace.
            var comments = rewritten.CloseBraceToken.LeadingTrivia;
            var appended = exitStatement.WithAdditionalAnnotations(Formatter.Annotation);
            if (comments.Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
            {
                appended = appended.WithLeadingTrivia(comments.AddRange(appended.GetLeadingTrivia()));
                rewritten = rewritten.WithCloseBraceToken(rewritten.CloseBraceToken.WithLeadingTrivia());
            }

            rewritten = rewritten.AddStatements(appended);
        }

        if (prologue is not null)
        {
            rewritten = rewritten.WithStatements(rewritten.Statements.Insert(0, prologue.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        return rewritten;
    }

    /// <summary><c>catch (Exception name)</c>, keeping the filter; <c>System.Exception</c> where <c>System</c> is not imported.</summary>
    public static CatchClauseSyntax WithExceptionDeclaration(SemanticModel model, CatchClauseSyntax catchClause, string? name)
    {
        var type = catchClause.Declaration?.Type
            ?? SyntaxFactory.ParseTypeName(TypeNames.Minimal(model, catchClause.SpanStart, "System.Exception"));
        var declaration = SyntaxFactory.CatchDeclaration(type.WithoutTrivia());
        if (name is not null)
        {
            declaration = declaration.WithIdentifier(SyntaxFactory.Identifier(name));
        }

        return catchClause
            .WithCatchKeyword(catchClause.CatchKeyword.WithTrailingTrivia(SyntaxFactory.Space))
            .WithDeclaration(declaration.WithTrailingTrivia(catchClause.CatchKeyword.TrailingTrivia));
    }

    /// <summary>A name for the caught exception that clashes with nothing visible in or around the handler.</summary>
    public static string ExceptionName(SemanticModel model, CatchClauseSyntax catchClause)
    {
        if (catchClause.Declaration is { Identifier.ValueText.Length: > 0 } declared)
        {
            return declared.Identifier.ValueText;
        }

        var taken = new HashSet<string>(catchClause.Block.DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText));
        foreach (var candidate in new[] { "ex", "exception", "caught" }.Concat(Enumerable.Range(1, 100).Select(i => "ex" + i)))
        {
            if (!taken.Contains(candidate) && model.LookupSymbols(catchClause.Block.SpanStart, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }

        return "ex" + System.Guid.NewGuid().ToString("N");
    }

    /// <summary><c>logger.LogError(ex, "Member failed");</c> — a constant template, so the message is never built from data.</summary>
    public static StatementSyntax LogErrorStatement(string loggerName, string exceptionName, string member)
        => SyntaxFactory.ExpressionStatement(
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.IdentifierName(loggerName),
                    SyntaxFactory.IdentifierName("LogError")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(SyntaxFactory.IdentifierName(exceptionName)),
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(
                        SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(member + " failed"))),
                }))));

    public static ThrowStatementSyntax Rethrow() => SyntaxFactory.ThrowStatement();

    /// <summary>The handler with <paramref name="log"/> put first and every exit kept: the method still returns its fallback.</summary>
    public static BlockSyntax LogFirst(BlockSyntax block, StatementSyntax log)
        => block.WithStatements(block.Statements.Insert(0, log.WithAdditionalAnnotations(Formatter.Annotation)));

    /// <summary>
    /// Replaces the catch clause in the document, adding the logging using directive when the new
    /// code calls LogError where the extension methods are not yet imported. Where the handler's
    /// end used to be reachable and now throws, the code after the try statement may have become
    /// unreachable (<c>try { return Read(); } catch { } return null;</c>): that code is removed, as
    /// CS0162 is an error under <c>TreatWarningsAsErrors</c>.
    /// </summary>
    public static async Task<Document?> ReplaceAsync(
        Document document, SyntaxNode root, CatchClauseSyntax original, CatchClauseSyntax replacement, bool needsLoggingUsing, CancellationToken cancellationToken)
    {
        var marker = new SyntaxAnnotation();
        var newRoot = root.ReplaceNode(original, replacement.WithAdditionalAnnotations(marker));
        if (needsLoggingUsing && newRoot is CompilationUnitSyntax compilationUnit)
        {
            newRoot = LoggerInScope.AddLoggingUsing(compilationUnit);
        }

        var changed = document.WithSyntaxRoot(newRoot);
        return await WithoutNewlyUnreachableCodeAsync(document, changed, marker, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document?> WithoutNewlyUnreachableCodeAsync(Document before, Document after, SyntaxAnnotation catchMarker, CancellationToken cancellationToken)
    {
        var root = await after.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root?.GetAnnotatedNodes(catchMarker).FirstOrDefault()?.Parent is not TryStatementSyntax tryStatement || model is null)
        {
            return after;
        }

        SyntaxNode scope = (SyntaxNode?)tryStatement.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax) ?? root;
        const string UnreachableCode = "CS0162";
        var unreachable = model.GetDiagnostics(scope.Span, cancellationToken)
            .Where(d => d.Id == UnreachableCode && d.Location.SourceSpan.Start >= tryStatement.Span.End)
            .ToList();
        if (unreachable.Count == 0)
        {
            return after;
        }

        // Code that was unreachable before the fix is the author's business, not the fix's.
        var beforeModel = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (beforeModel is null)
        {
            return after;
        }

        // The change starts inside the member, so the member starts where it did.
        var beforeRoot = beforeModel.SyntaxTree.GetRoot(cancellationToken);
        var beforeScope = scope is CompilationUnitSyntax
            ? beforeRoot
            : beforeRoot.FindToken(scope.SpanStart).Parent?.AncestorsAndSelf().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax) ?? beforeRoot;
        if (beforeModel.GetDiagnostics(beforeScope.Span, cancellationToken).Any(d => d.Id == UnreachableCode))
        {
            return after;
        }

        var removed = new List<SyntaxNode>();
        foreach (var diagnostic in unreachable)
        {
            var statement = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<StatementSyntax>();
            IEnumerable<SyntaxNode>? rest = statement?.Parent switch
            {
                BlockSyntax block => block.Statements.Skip(block.Statements.IndexOf(statement)),
                SwitchSectionSyntax section => section.Statements.Skip(section.Statements.IndexOf(statement)),
                GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } global => unit.Members.Skip(unit.Members.IndexOf(global)).TakeWhile(m => m is GlobalStatementSyntax),
                _ => null,
            };
            if (rest is null)
            {
                // An embedded statement (if (…) return x;) cannot simply go: no fix (the safety check refuses it).
                return after;
            }

            foreach (var node in rest)
            {
                var inner = node is GlobalStatementSyntax global ? global.Statement : node;
                if (inner is LabeledStatementSyntax)
                {
                    break;
                }

                // A local function is declared, not run: it stays for its callers.
                if (inner is not LocalFunctionStatementSyntax && !removed.Contains(node))
                {
                    removed.Add(node);
                }
            }
        }

        return root.RemoveNodes(removed, SyntaxRemoveOptions.KeepNoTrivia) is { } cleaned
            ? after.WithSyntaxRoot(cleaned)
            : after;
    }
}

internal sealed class NormalExits
{
    public NormalExits(ImmutableArray<SyntaxNode> statements, bool endPointIsReachable)
    {
        Statements = statements;
        EndPointIsReachable = endPointIsReachable;
    }

    public ImmutableArray<SyntaxNode> Statements { get; }

    public bool EndPointIsReachable { get; }

    public bool Any => EndPointIsReachable || !Statements.IsEmpty;
}
