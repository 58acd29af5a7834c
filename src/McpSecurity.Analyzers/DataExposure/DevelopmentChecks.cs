using System;
using McpSecurity.Analyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// Branches that only run in the Development environment: <c>env.IsDevelopment() ? ex.ToString() :
/// "An error occurred."</c> and <c>if (app.Environment.IsDevelopment()) return Results.Problem(ex.ToString());</c>
/// are ASP.NET Core's own pattern (the developer exception page) and send details to no production
/// caller. MCPSEC503 leaves such branches alone; secrets (MCPSEC504) are reported in them all the same.
/// </summary>
internal static class DevelopmentChecks
{
    /// <summary>Whether <paramref name="operation"/> sits in a branch that runs only in Development.</summary>
    public static bool IsInDevelopmentBranch(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && DevelopmentBranch(conditional.Condition) is { } whenTrue)
            {
                var branch = whenTrue ? conditional.WhenTrue : conditional.WhenFalse;
                if (ReferenceEquals(branch, child))
                {
                    return true;
                }
            }

            if (parent is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// Which branch of a condition runs only in Development: true for <c>WhenTrue</c>
    /// (<c>env.IsDevelopment()</c>, <c>env.IsEnvironment("Development")</c>,
    /// <c>env.EnvironmentName == "Development"</c>, and those joined by <c>&amp;&amp;</c>), false for
    /// <c>WhenFalse</c> (their negation), null when neither does.
    /// </summary>
    public static bool? DevelopmentBranch(IOperation? condition)
    {
        switch (SecretOperations.SkipConversions(condition))
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return DevelopmentBranch(not.Operand) is { } inner ? !inner : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                return DevelopmentBranch(and.LeftOperand) == true || DevelopmentBranch(and.RightOperand) == true ? true : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                return DevelopmentBranch(or.LeftOperand) == false || DevelopmentBranch(or.RightOperand) == false ? false : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when NamesDevelopment(comparison.LeftOperand, comparison.RightOperand) || NamesDevelopment(comparison.RightOperand, comparison.LeftOperand):
                return comparison.OperatorKind == BinaryOperatorKind.Equals;

            case IInvocationOperation { TargetMethod.Name: "IsDevelopment", Type.SpecialType: SpecialType.System_Boolean }:
                return true;

            case IInvocationOperation { TargetMethod.Name: "IsEnvironment", Type.SpecialType: SpecialType.System_Boolean } isEnvironment
                when isEnvironment.Arguments.Length > 0
                    && IsDevelopmentName(isEnvironment.Arguments[isEnvironment.Arguments.Length - 1].Value):
                return true;

            default:
                return null;
        }
    }

    private static bool NamesDevelopment(IOperation environment, IOperation name)
        => IsDevelopmentName(name)
            && environment is IPropertyReferenceOperation { Property.Name: "EnvironmentName" };

    private static bool IsDevelopmentName(IOperation value)
        => value.ConstantValue is { HasValue: true, Value: string text }
            && string.Equals(text, "Development", StringComparison.OrdinalIgnoreCase);
}
