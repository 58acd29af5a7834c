using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpSecurity.CodeFixes.McpSurface;

/// <summary>
/// MCPSEC604: what a stdio server writes goes to standard error instead, where clients show or log
/// it and the JSON-RPC stream stays clean. <c>Console.WriteLine</c> becomes <c>Console.Error.WriteLine</c>,
/// <c>Console.Out</c> becomes <c>Console.Error</c>, <c>Console.OpenStandardOutput()</c> becomes
/// <c>Console.OpenStandardError()</c>; <c>AddConsole()</c> gets
/// <c>options =&gt; options.LogToStandardErrorThreshold = LogLevel.Trace</c>, a threshold above Trace
/// becomes Trace, and after <c>var builder = Host.CreateApplicationBuilder(args);</c> the same
/// <c>AddConsole</c> line is added for the default console logger. No fix under <c>using static
/// System.Console</c>, for <c>AddConsole</c> with options of its own, or for a host builder that is not
/// held in a local.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StdoutWriteCodeFix))]
public sealed class StdoutWriteCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.StdoutWrittenByStdioServer + ".StandardError";

    private const string LogLevelType = "Microsoft.Extensions.Logging.LogLevel";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.StdoutWrittenByStdioServer);

    private enum Shape
    {
        None,
        ConsoleWrite,
        ConsoleOut,
        OpenStandardOutput,
        BareAddConsole,
        Threshold,
        HostBuilder,
    }

    protected override Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => Task.FromResult(ShapeOf(target) switch
        {
            Shape.None => None,
            Shape.BareAddConsole or Shape.Threshold or Shape.HostBuilder => Offer("Send console logging to standard error", EquivalenceKey),
            _ => Offer("Write to standard error", EquivalenceKey),
        });

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
    {
        switch (ShapeOf(target))
        {
            case Shape.ConsoleWrite:
                {
                    var access = (MemberAccessExpressionSyntax)target;
                    var error = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, access.Expression.WithoutTrivia(), SyntaxFactory.IdentifierName("Error"));
                    return await ReplaceAsync(document, target, access.WithExpression(error.WithTriviaFrom(access.Expression)), cancellationToken).ConfigureAwait(false);
                }

            case Shape.ConsoleOut:
                {
                    var access = (MemberAccessExpressionSyntax)target;
                    return await ReplaceAsync(document, target, access.WithName(SyntaxFactory.IdentifierName("Error").WithTriviaFrom(access.Name)), cancellationToken).ConfigureAwait(false);
                }

            case Shape.OpenStandardOutput:
                {
                    var access = (MemberAccessExpressionSyntax)target;
                    return await ReplaceAsync(document, target, access.WithName(SyntaxFactory.IdentifierName("OpenStandardError").WithTriviaFrom(access.Name)), cancellationToken).ConfigureAwait(false);
                }

            case Shape.BareAddConsole:
                {
                    if (target.Parent?.Parent is not InvocationExpressionSyntax call
                        || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
                    {
                        return null;
                    }

                    var parameter = model.LookupSymbols(call.SpanStart, name: "options").IsEmpty ? "options" : "consoleOptions";
                    var level = TypeNames.Minimal(model, call.SpanStart, LogLevelType);
                    var argument = SyntaxFactory.ParseExpression(parameter + " => " + parameter + ".LogToStandardErrorThreshold = " + level + ".Trace");
                    var arguments = call.ArgumentList.WithArguments(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument)));
                    return await ReplaceAsync(document, call, call.WithArgumentList(arguments), cancellationToken).ConfigureAwait(false);
                }

            case Shape.Threshold:
                {
                    if (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
                    {
                        return null;
                    }

                    var trace = SyntaxFactory.ParseExpression(TypeNames.Minimal(model, target.SpanStart, LogLevelType) + ".Trace");
                    return await ReplaceAsync(document, target, trace.WithTriviaFrom(target), cancellationToken).ConfigureAwait(false);
                }

            case Shape.HostBuilder:
                return await AddConsoleAfterBuilderAsync(document, target, cancellationToken).ConfigureAwait(false);

            default:
                return null;
        }
    }

    /// <summary><c>var builder = Host.CreateApplicationBuilder(args);</c> gains <c>builder.Logging.AddConsole(…)</c> on the next line.</summary>
    private static async Task<Document?> AddConsoleAfterBuilderAsync(Document document, SyntaxNode target, CancellationToken cancellationToken)
    {
        if (HostBuilderDeclaration(target) is not (var declaration, var variable)
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return null;
        }

        // AddConsole is an extension method of Microsoft.Extensions.Logging: without that namespace in
        // scope (LogLevel's short name binds only then) the added line needs the using directive.
        var imported = TypeNames.Minimal(model, declaration.SpanStart, LogLevelType) == "LogLevel";
        var endOfLine = SourceLayout.EndOfLine(root);
        var statement = SyntaxFactory.ParseStatement(
            SourceLayout.LineIndentation(declaration) + variable.Identifier.ValueText
            + ".Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);" + endOfLine);

        SyntaxNode anchor = declaration.Parent is GlobalStatementSyntax global ? global : declaration;
        SyntaxNode inserted = anchor is GlobalStatementSyntax ? SyntaxFactory.GlobalStatement(statement) : statement;
        var fixedRoot = root.InsertNodesAfter(anchor, new[] { inserted });
        if (!imported)
        {
            if (fixedRoot is not CompilationUnitSyntax unit)
            {
                return null;
            }

            fixedRoot = UsingDirectives.Add(unit, "Microsoft.Extensions.Logging");
        }

        return document.WithSyntaxRoot(fixedRoot);
    }

    private static (LocalDeclarationStatementSyntax Declaration, VariableDeclaratorSyntax Variable)? HostBuilderDeclaration(SyntaxNode target)
        => target.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } access
            && access.Name == target
            && call.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax variable }
            && variable.Parent is VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration }
            && declaration.Parent is BlockSyntax or GlobalStatementSyntax
                ? (declaration, variable)
                : null;

    private static Shape ShapeOf(SyntaxNode target)
    {
        switch (target)
        {
            case ExpressionSyntax value
                when value.Parent is AssignmentExpressionSyntax { Left: var left } assignment
                    && assignment.Right == value
                    && (left is IdentifierNameSyntax { Identifier.ValueText: "LogToStandardErrorThreshold" }
                        || left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "LogToStandardErrorThreshold" }):
                return Shape.Threshold;
            case MemberAccessExpressionSyntax access:
                return access.Name.Identifier.ValueText switch
                {
                    "Write" or "WriteLine" => Shape.ConsoleWrite,
                    "Out" => Shape.ConsoleOut,
                    "OpenStandardOutput" => Shape.OpenStandardOutput,
                    _ => Shape.None,
                };
            case IdentifierNameSyntax { Identifier.ValueText: "AddConsole" } name
                when name.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } } access && access.Name == name:
                return Shape.BareAddConsole;
            case IdentifierNameSyntax { Identifier.ValueText: "CreateApplicationBuilder" or "CreateBuilder" or "CreateSlimBuilder" } when HostBuilderDeclaration(target) is not null:
                return Shape.HostBuilder;
            default:
                return Shape.None;
        }
    }
}
