using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// MCPSEC404: a process waited on without a bound — <c>WaitForExit()</c>, <c>WaitForExit(-1)</c>,
/// <c>WaitForExit(Timeout.InfiniteTimeSpan)</c>, <c>WaitForExitAsync()</c> with no or a never-cancelled
/// token. Not reported: the documented <c>WaitForExit()</c> after a timed wait on the same process
/// (it flushes redirected output) or after <c>Kill</c>, and an async wait bounded by
/// <c>.WaitAsync(timeout)</c> or raced against a delay in <c>Task.WhenAny</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessWaitAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleCatalog.ProcessWaitWithoutTimeout);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Only calls spelled WaitForExit are reported: where no tree spells it, register nothing.
            if ((ProcessEvidence.Of(start.Compilation, start.CancellationToken) & ProcessEvidence.Wait) == 0
                || start.Compilation.GetTypeByMetadataName("System.Diagnostics.Process") is not { } process)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    var call = (IInvocationOperation)operation.Operation;
                    if (IsReported(call, process))
                    {
                        var name = call.TargetMethod.Name + "(" + string.Join(", ", call.Arguments.Where(a => a.ArgumentKind != ArgumentKind.DefaultValue).Select(a => a.Syntax.ToString())) + ")";
                        operation.ReportUnlessBaselined(Diagnostic.Create(RuleCatalog.ProcessWaitWithoutTimeout, call.Syntax.GetLocation(), name));
                    }
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>
    /// Whether <paramref name="call"/> is an unbounded wait on a process that nothing before it in the
    /// body bounded. The fix asks the same question, so Fix All leaves a wait the analyzer would no
    /// longer report once an earlier one is bounded.
    /// </summary>
    internal static bool IsReported(IInvocationOperation call, INamedTypeSymbol process)
        => call.TargetMethod is { IsStatic: false, Name: "WaitForExit" or "WaitForExitAsync" } method
            && method.ContainingType.DerivesFrom(process)
            && IsUnbounded(call)
            && !IsBoundedByCaller(call)
            && !FollowsBoundedWaitOrKill(call, process);

    /// <summary>Whether a wait has no bound at all.</summary>
    internal static bool IsUnbounded(IInvocationOperation call)
    {
        if (call.TargetMethod.Name == "Kill")
        {
            return false;
        }

        var argument = call.Arguments.FirstOrDefault();
        if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return true;
        }

        var value = argument.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            _ when value.ConstantValue.Value is -1 => true,
            IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" } => true,
            IDefaultValueOperation => true,
            IPropertyReferenceOperation { Property: { Name: "None", ContainingType.Name: "CancellationToken" } } => true,
            IObjectCreationOperation { Type.Name: "CancellationToken" } creation => creation.Arguments.All(a => a.Value.ConstantValue.Value is false or null),
            _ => false,
        };
    }

    /// <summary><c>p.WaitForExitAsync().WaitAsync(timeout)</c>, <c>Task.WhenAny(p.WaitForExitAsync(), Task.Delay(…))</c>.</summary>
    private static bool IsBoundedByCaller(IInvocationOperation call)
    {
        var parent = call.Parent;
        while (parent is IConversionOperation or IArgumentOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            parent = parent.Parent;
        }

        return parent is IInvocationOperation { TargetMethod.Name: "WaitAsync" or "WhenAny" or "WaitAny" or "Wait" } outer
            && (outer.TargetMethod.Name != "Wait" || outer.Arguments.Length > 0);
    }

    /// <summary>After a timed wait returned (or a Kill), <c>WaitForExit()</c> only flushes the output handlers.</summary>
    private static bool FollowsBoundedWaitOrKill(IInvocationOperation call, INamedTypeSymbol process)
    {
        if (ReceiverSymbol(call.Instance) is not { } receiver)
        {
            return false;
        }

        // Only unbounded waits get here, which are rare: walking their body is cheap enough.
        IOperation root = call;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod: { IsStatic: false, Name: "WaitForExit" or "WaitForExitAsync" or "Kill" } method } other
                && other.Syntax.SpanStart < call.Syntax.SpanStart
                && method.ContainingType.DerivesFrom(process)
                && (method.Name == "Kill" || !IsUnbounded(other))
                && SymbolEqualityComparer.Default.Equals(ReceiverSymbol(other.Instance), receiver))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? ReceiverSymbol(IOperation? instance)
    {
        while (instance is IConversionOperation conversion)
        {
            instance = conversion.Operand;
        }

        return instance switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
    }
}
