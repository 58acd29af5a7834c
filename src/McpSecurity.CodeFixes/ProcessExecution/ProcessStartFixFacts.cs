using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using McpSecurity.Analyzers.ProcessExecution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.CodeFixes.ProcessExecution;

/// <summary>
/// The process starts of the body that holds a reported expression, gathered by the analyzer's own
/// <see cref="ProcessLaunches"/> walk over the same body (the whole member: its lambdas and local
/// functions included), so a fix never disagrees with the diagnostic it fixes. Recomputed from the
/// document as it is now: Fix All applies one fix after another.
/// </summary>
internal sealed class ProcessStartFixFacts
{
    private ProcessStartFixFacts(SemanticModel model, ProcessSymbols symbols, ImmutableArray<ProcessLaunch> launches, LocalValues locals)
    {
        Model = model;
        Symbols = symbols;
        Launches = launches;
        Locals = locals;
    }

    public SemanticModel Model { get; }

    public ProcessSymbols Symbols { get; }

    public ImmutableArray<ProcessLaunch> Launches { get; }

    public LocalValues Locals { get; }

    public static async Task<ProcessStartFixFacts?> CreateAsync(Document document, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || ProcessSymbols.Create(model.Compilation) is not { } symbols || Body(model, node, cancellationToken) is not { } body)
        {
            return null;
        }

        var blocks = ImmutableArray.Create(body);
        return new ProcessStartFixFacts(model, symbols, ProcessLaunches.Collect(blocks, symbols), new LocalValues(blocks));
    }

    /// <summary>
    /// The operation of the outermost executable member around <paramref name="node"/>: a method,
    /// constructor, accessor, expression-bodied property, field initializer, or the top-level statements.
    /// </summary>
    private static IOperation? Body(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        SyntaxNode? member = null;
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax }:
                    member = ancestor;
                    break;
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } }:
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax }:
                    member = ancestor;
                    break;
                case GlobalStatementSyntax:
                    member = ancestor.Parent;
                    break;
            }
        }

        return member is null ? null : model.GetOperation(member, cancellationToken);
    }

    /// <summary>The launch and MCPSEC401 finding reported on <paramref name="node"/>.</summary>
    public (ProcessLaunch Launch, ShellFinding Finding)? ShellFindingAt(SyntaxNode node)
    {
        foreach (var launch in Launches)
        {
            foreach (var finding in ShellFindings.Find(launch, Locals))
            {
                if (!finding.IsConstant && finding.ReportOn.Syntax.Span == node.Span)
                {
                    return (launch, finding);
                }
            }
        }

        return null;
    }

    /// <summary>The launch whose arguments string is <paramref name="node"/> itself (not a value reaching it through a local or a branch).</summary>
    public (ProcessLaunch Launch, LaunchValue Arguments)? ArgumentsAt(SyntaxNode node)
    {
        foreach (var launch in Launches)
        {
            foreach (var arguments in launch.Arguments)
            {
                if (Unwrap(arguments.Value).Syntax.Span == node.Span)
                {
                    return (launch, arguments);
                }
            }
        }

        return null;
    }

    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>Whether <paramref name="launch"/> writes only constant values to UseShellExecute.</summary>
    public static bool ShellExecuteIsConstant(ProcessLaunch launch)
        => launch.UseShellExecute.All(u => u.Value.ConstantValue.Value is bool);
}
