using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers;
using McpSecurity.Analyzers.ProcessExecution;
using McpSecurity.Analyzers.Shared;
using McpSecurity.CodeFixes.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.CodeFixes.ProcessExecution;

/// <summary>
/// MCPSEC404: the unbounded wait becomes a bounded one that kills the process tree when it expires,
/// as the guide's <c>subprocess.run(…, timeout=30)</c> does:
/// <code>
/// if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
/// {
///     process.Kill(entireProcessTree: true);
///     throw new TimeoutException("…");
/// }
/// </code>
/// and for <c>await process.WaitForExitAsync()</c>, <c>.WaitAsync(TimeSpan.FromSeconds(30))</c> in a
/// <c>try</c> whose <c>catch (TimeoutException)</c> kills the tree and rethrows. The timeout is
/// <c>mcpsec.process_timeout_seconds</c>. Offered for a wait that is a statement of its own on a
/// process held in a variable, field or property (the receiver is read twice).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProcessWaitCodeFix))]
public sealed class ProcessWaitCodeFix : McpSecurityCodeFix
{
    public const string EquivalenceKey = RuleIdentifiers.ProcessWaitWithoutTimeout + ".BoundedWait";

    private const int DefaultTimeoutSeconds = 30;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ProcessWaitWithoutTimeout);

    protected override async Task<IReadOnlyList<CodeFixOffer>> OffersAsync(
        Document document, SyntaxNode target, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await PlanAsync(document, target, everyTarget: false, cancellationToken).ConfigureAwait(false) is { } plan
            ? Offer("Wait at most " + plan.Seconds.ToString(CultureInfo.InvariantCulture) + " s, then kill the process tree", EquivalenceKey)
            : None;

    private sealed class Plan
    {
        public Plan(StatementSyntax statement, StatementSyntax replacement, int seconds)
        {
            Statement = statement;
            Replacement = replacement;
            Seconds = seconds;
        }

        public StatementSyntax Statement { get; }

        public StatementSyntax Replacement { get; }

        public int Seconds { get; }
    }

    protected override async Task<Document?> FixAsync(Document document, SyntaxNode target, string? equivalenceKey, CancellationToken cancellationToken)
        => await PlanAsync(document, target, everyTarget: true, cancellationToken).ConfigureAwait(false) is { } plan
            ? await ReplaceAsync(document, plan.Statement, plan.Replacement, cancellationToken).ConfigureAwait(false)
            : null;

    /// <param name="everyTarget">Whether to choose APIs that every target framework of the file has
    /// (when the action is chosen): <c>dotnet format</c> fixes each target of a multi-target project
    /// and merges the texts, so a <c>Kill(entireProcessTree: true)</c> written for net8.0 and a
    /// <c>Kill()</c> written for netstandard2.0 became conflict markers in the source.</param>
    private static async Task<Plan?> PlanAsync(Document document, SyntaxNode node, bool everyTarget, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null
            || node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            || model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation
            || model.Compilation.GetTypeByMetadataName("System.Diagnostics.Process") is not { } processType
            || !ProcessWaitAnalyzer.IsReported(invocation, processType)
            || !IsStableReceiver(invocation.Instance))
        {
            return null;
        }

        var compilations = everyTarget
            ? await FixSafety.TargetCompilationsAsync(document, call.SpanStart, cancellationToken).ConfigureAwait(false)
            : new[] { model.Compilation };
        bool Everywhere(string typeName, string method, SpecialType? parameter, string? parameterTypeName = null)
            => compilations.All(c => c.GetTypeByMetadataName(typeName) is { } type && HasMethod(type, method, parameter, parameterTypeName));

        var seconds = TimeoutSeconds(document, call.SyntaxTree);
        var receiver = access.Expression.WithoutTrivia().ToString();
        var kill = Everywhere("System.Diagnostics.Process", "Kill", SpecialType.System_Boolean)
            ? receiver + ".Kill(entireProcessTree: true);"
            : receiver + ".Kill();";
        var secondsText = seconds.ToString(CultureInfo.InvariantCulture);

        var timeSpan = TypeNames.Minimal(model, call.SpanStart, "System.TimeSpan");
        var timeoutException = TypeNames.Minimal(model, call.SpanStart, "System.TimeoutException");
        StatementSyntax? statement;
        string text;
        if (invocation.TargetMethod.Name == "WaitForExit" && call.Parent is ExpressionStatementSyntax syncStatement)
        {
            // WaitForExit(TimeSpan) is .NET 7; WaitForExit(int) is everywhere.
            var bound = Everywhere("System.Diagnostics.Process", "WaitForExit", null, "TimeSpan")
                ? timeSpan + ".FromSeconds(" + secondsText + ")"
                : (seconds * 1000).ToString(CultureInfo.InvariantCulture);
            statement = syncStatement;
            text = "if (!" + receiver + ".WaitForExit(" + bound + "))\n{\n" + kill + "\nthrow new " + timeoutException + "(\""
                + Message(receiver, secondsText) + "\");\n}";
        }
        else if (invocation.TargetMethod.Name == "WaitForExitAsync"
            && AwaitStatement(call) is { } asyncStatement
            && Everywhere("System.Threading.Tasks.Task", "WaitAsync", null, "TimeSpan"))
        {
            // Task.WaitAsync(TimeSpan) is .NET 6, like WaitForExitAsync's callers; the token, if any, was never cancelled.
            statement = asyncStatement;
            var boundedCall = SyntaxFactory.ParseExpression(receiver + ".WaitForExitAsync().WaitAsync(" + timeSpan + ".FromSeconds(" + secondsText + "))");
            var bounded = asyncStatement.ReplaceNode(call, boundedCall).WithoutTrivia().ToString();
            text = "try\n{\n" + bounded + "\n}\ncatch (" + timeoutException + ")\n{\n" + kill + "\nthrow;\n}";
        }
        else
        {
            return null;
        }

        var replacement = SyntaxFactory.ParseStatement(text.Replace("\n", SourceLayout.EndOfLine(call)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        if (statement.Parent is not (BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax))
        {
            // if (done) process.WaitForExit();  →  a block, so an 'else' keeps its 'if'.
            replacement = SyntaxFactory.Block(replacement).WithAdditionalAnnotations(Formatter.Annotation);
        }

        replacement = replacement.WithTriviaFrom(statement);
        if (IsFollowedByAStatement(statement))
        {
            // A block ends with a blank line before the next statement.
            replacement = replacement.WithTrailingTrivia(replacement.GetTrailingTrivia().Add(SyntaxFactory.EndOfLine(SourceLayout.EndOfLine(call))));
        }

        return new Plan(statement, replacement, seconds);
    }

    /// <summary>Whether a statement follows with no blank line before it.</summary>
    private static bool IsFollowedByAStatement(StatementSyntax statement)
    {
        SyntaxNode? next = statement.Parent switch
        {
            BlockSyntax block => Next(block.Statements, statement),
            SwitchSectionSyntax section => Next(section.Statements, statement),
            GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } global => Next(unit.Members, global),
            _ => null,
        };

        return next is not null && !next.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
    }

    private static SyntaxNode? Next<T>(SyntaxList<T> list, SyntaxNode node)
        where T : SyntaxNode
    {
        var index = list.IndexOf((T)node);
        return index >= 0 && index < list.Count - 1 ? list[index + 1] : null;
    }

    private static string Message(string receiver, string seconds)
        => "'" + receiver.Replace("\\", "\\\\").Replace("\"", "\\\"") + "' did not exit within " + seconds + " seconds and was killed.";

    /// <summary><c>await p.WaitForExitAsync();</c>, also with <c>.ConfigureAwait(false)</c>.</summary>
    private static ExpressionStatementSyntax? AwaitStatement(InvocationExpressionSyntax call)
    {
        SyntaxNode current = call;
        if (current.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configureAwait })
        {
            current = configureAwait;
        }

        return current.Parent is AwaitExpressionSyntax { Parent: ExpressionStatementSyntax statement } ? statement : null;
    }

    /// <summary>A receiver that reading twice cannot change: a local, parameter, field or property of this or of a local.</summary>
    private static bool IsStableReceiver(IOperation? receiver)
    {
        while (receiver is IConversionOperation { IsImplicit: true } conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || IsStableReceiver(field.Instance),
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance is null || IsStableReceiver(property.Instance),
            _ => false,
        };
    }

    private static bool HasMethod(INamedTypeSymbol type, string name, SpecialType? parameter, string? parameterTypeName = null)
        => type.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1
            && (parameter is null || m.Parameters[0].Type.SpecialType == parameter)
            && (parameterTypeName is null || m.Parameters[0].Type.Name == parameterTypeName));

    private static int TimeoutSeconds(Document document, SyntaxTree tree)
    {
        var text = RuleOptionReader.GetString(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, tree, RuleCatalog.ProcessTimeoutSeconds);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : DefaultTimeoutSeconds;
    }
}
