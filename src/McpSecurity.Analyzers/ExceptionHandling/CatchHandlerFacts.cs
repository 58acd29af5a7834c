using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ExceptionHandling;

/// <summary>
/// What one catch clause does with the failure it caught: computed once per clause and shared by
/// MCPSEC201–203 and their fixes, so the rules cannot disagree about a handler.
/// </summary>
internal sealed class CatchHandlerFacts
{
    private CatchHandlerFacts(
        bool isBare,
        bool catchesEverything,
        bool hasFilter,
        bool leavesNormally,
        bool onlyRethrows,
        bool exceptionFlows,
        bool detailsFlow,
        IOperation? reportedMessage)
    {
        IsBare = isBare;
        CatchesEverything = catchesEverything;
        HasFilter = hasFilter;
        LeavesNormally = leavesNormally;
        OnlyRethrows = onlyRethrows;
        ExceptionFlows = exceptionFlows;
        DetailsFlow = detailsFlow;
        ReportedMessage = reportedMessage;
    }

    /// <summary><c>catch</c> or <c>catch when (…)</c>, with no exception type.</summary>
    public bool IsBare { get; }

    /// <summary>A bare catch, or a catch of <c>Exception</c>/<c>SystemException</c>.</summary>
    public bool CatchesEverything { get; }

    public bool HasFilter { get; }

    /// <summary>Some reachable path leaves the handler without throwing: fall-through, return, break, continue, goto.</summary>
    public bool LeavesNormally { get; }

    /// <summary>The handler never leaves normally and every throw in it is <c>throw;</c>.</summary>
    public bool OnlyRethrows { get; }

    /// <summary>The exception object is passed on: to a call, a constructor, a return, a store, or rethrown.</summary>
    public bool ExceptionFlows { get; }

    /// <summary>Some of the exception's members (Message, StackTrace, …) are passed on, though the object is not.</summary>
    public bool DetailsFlow { get; }

    /// <summary>The first <c>ex.Message</c> that is passed on, when the exception object itself is not.</summary>
    public IOperation? ReportedMessage { get; }

    public static CatchHandlerFacts? Analyze(
        ICatchClauseOperation catchClause, CatchClauseSyntax syntax, SemanticModel model, INamedTypeSymbol exceptionType, INamedTypeSymbol? systemExceptionType)
    {
        var flow = model.AnalyzeControlFlow(syntax.Block);
        if (flow is null || !flow.Succeeded)
        {
            return null;
        }

        var isBare = syntax.Declaration is null;
        var caught = catchClause.ExceptionType;
        var catchesEverything = isBare
            || SymbolEqualityComparer.Default.Equals(caught, exceptionType)
            || SymbolEqualityComparer.Default.Equals(caught, systemExceptionType);

        var leavesNormally = !flow.ExitPoints.IsEmpty
            || (flow.EndPointIsReachable && !EndsWithCallThatDoesNotReturn(catchClause.Handler));

        var throwsNewException = false;
        var rethrows = false;
        foreach (var operation in OwnOperations(catchClause.Handler))
        {
            switch (operation)
            {
                // 'throw;' is a throw operation without an exception.
                case IThrowOperation { Exception: null }:
                    rethrows = true;
                    break;
                case IThrowOperation:
                    throwsNewException = true;
                    break;
            }
        }

        var exceptionFlows = rethrows;
        var detailsFlow = false;
        IOperation? reportedMessage = null;
        if ((catchClause.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol is { } local)
        {
            foreach (var reference in catchClause.Handler.Descendants())
            {
                if (reference is ILocalReferenceOperation { Local: var referenced }
                    && SymbolEqualityComparer.Default.Equals(referenced, local))
                {
                    ClassifyUse(reference, exceptionType, ref exceptionFlows, ref detailsFlow, ref reportedMessage);
                }
            }
        }

        return new CatchHandlerFacts(
            isBare,
            catchesEverything,
            hasFilter: syntax.Filter is not null,
            leavesNormally,
            onlyRethrows: !leavesNormally && !throwsNewException,
            exceptionFlows,
            detailsFlow,
            exceptionFlows ? null : reportedMessage);
    }

    /// <summary>
    /// The compiler's flow analysis does not know that <c>Environment.Exit(1)</c> or a
    /// <c>[DoesNotReturn]</c> throw helper ends the handler; a handler that ends with one does not
    /// swallow anything (the usual shape of a command line's last-resort handler).
    /// </summary>
    private static bool EndsWithCallThatDoesNotReturn(IBlockOperation handler)
    {
        if (handler.Operations.Length == 0
            || handler.Operations[handler.Operations.Length - 1] is not IExpressionStatementOperation { Operation: IInvocationOperation call })
        {
            return false;
        }

        var method = call.TargetMethod;
        if (method.ContainingType?.ToDisplayString() == "System.Environment" && method.Name is "Exit" or "FailFast")
        {
            return true;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The operations of the handler itself: not those of lambdas and local functions declared in it,
    /// and not the rethrows of nested catch clauses (those rethrow another exception).
    /// </summary>
    private static System.Collections.Generic.IEnumerable<IOperation> OwnOperations(IOperation root)
    {
        var stack = new System.Collections.Generic.Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation or ICatchClauseOperation)
                {
                    continue;
                }

                stack.Push(child);
            }
        }
    }

    private static void ClassifyUse(
        IOperation reference, INamedTypeSymbol exceptionType, ref bool exceptionFlows, ref bool detailsFlow, ref IOperation? reportedMessage)
    {
        var current = reference;
        while (true)
        {
            var parent = SkipConversions(current.Parent);
            switch (parent)
            {
                // ex.InnerException, ex.GetBaseException(): still an exception object, keep following it.
                case IMemberReferenceOperation member when IsInstance(member.Instance, current) && member.Type.DerivesFrom(exceptionType):
                case IInvocationOperation call when IsInstance(call.Instance, current) && call.Type.DerivesFrom(exceptionType):
                    current = parent;
                    continue;

                // ex.ToString() carries type, message and stack trace: as good as the object.
                case IInvocationOperation { TargetMethod.Name: nameof(ToString), Arguments.Length: 0 } call when IsInstance(call.Instance, current):
                    exceptionFlows |= ValueFlows(call);
                    return;

                case IMemberReferenceOperation member when IsInstance(member.Instance, current):
                case IInvocationOperation call2 when IsInstance(call2.Instance, current):
                    var value = parent!;
                    if (ValueFlows(value))
                    {
                        detailsFlow = true;
                        if (value is IPropertyReferenceOperation { Property.Name: "Message" })
                        {
                            reportedMessage ??= value;
                        }
                    }

                    return;

                default:
                    exceptionFlows |= ValueFlows(current);
                    return;
            }
        }
    }

    private static bool IsInstance(IOperation? instance, IOperation current)
        => instance is not null && (instance == current || SkipConversionsDown(instance) == current);

    private static IOperation SkipConversionsDown(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static IOperation? SkipConversions(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>
    /// Whether a value leaves the handler as information (passed, returned, stored, thrown) rather than
    /// only being tested (<c>ex is IOException</c>, <c>ex.Message.Contains("x")</c>). Unknown uses count
    /// as flowing: a rule that is unsure stays quiet.
    /// </summary>
    private static bool ValueFlows(IOperation value)
    {
        var current = value;
        while (true)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                case IExpressionStatementOperation:
                case IIsTypeOperation:
                case IIsPatternOperation:
                case IBinaryOperation { OperatorKind: not BinaryOperatorKind.Add }:
                case IPropertyReferenceOperation:
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                    return false;

                case IConversionOperation:
                case IParenthesizedOperation:
                case IBinaryOperation:
                case IInterpolationOperation:
                case IInterpolatedStringOperation:
                case ICoalesceOperation:
                case IConditionalOperation conditional when conditional.Condition != current:
                    current = parent;
                    continue;

                case IConditionalOperation:
                    return false;

                // ex.Message.Trim() flows on as a string; ex.Message.Contains("x") is a test.
                case IInvocationOperation call when call.Instance == current:
                    if (call.Type?.SpecialType == SpecialType.System_String)
                    {
                        current = parent;
                        continue;
                    }

                    return false;

                default:
                    return true;
            }
        }
    }
}
