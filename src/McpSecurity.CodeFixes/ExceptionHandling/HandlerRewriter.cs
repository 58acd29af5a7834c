using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>
    /// Replaces the catch clause in the document, adding the logging using directive when the new
    /// code calls LogError where the extension methods are not yet imported.
    /// </summary>
    public static Document Replace(Document document, SyntaxNode root, CatchClauseSyntax original, CatchClauseSyntax replacement, bool needsLoggingUsing)
    {
        var newRoot = root.ReplaceNode(original, replacement);
        if (needsLoggingUsing && newRoot is CompilationUnitSyntax compilationUnit)
        {
            newRoot = LoggerInScope.AddLoggingUsing(compilationUnit);
        }

        return document.WithSyntaxRoot(newRoot);
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
