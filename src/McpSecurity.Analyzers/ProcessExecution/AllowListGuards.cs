using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// MCPSEC405's allow-list check: the executable is guarded when, on the way to it in the same method,
/// a condition tests one of the locals or parameters it is made of against a fixed set —
/// <c>if (!Allowed.Contains(name)) return/throw …;</c> before it, <c>if (Allowed.Contains(name)) { … }</c>
/// around it, <c>name == "git"</c>, <c>name is "git" or "dotnet"</c>, <c>TryGetValue</c>,
/// <c>ContainsKey</c>, a method whose name says <c>Allow</c>, or a <c>switch</c> on it with constant
/// cases. A regular expression or a length check is not an allow list.
/// </summary>
internal static class AllowListGuards
{
    public static bool IsGuarded(IOperation sink, LocalValues locals)
    {
        var symbols = ReferencedSymbols(sink, locals);
        if (symbols.Count == 0)
        {
            return false;
        }

        IOperation current = sink;
        for (var parent = sink.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when ReferenceEquals(current, conditional.WhenTrue) && Test(conditional.Condition, symbols) == true:
                case IConditionalOperation conditional2 when ReferenceEquals(current, conditional2.WhenFalse) && Test(conditional2.Condition, symbols) == false:
                    return true;

                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (ReferenceEquals(statement, current))
                        {
                            break;
                        }

                        if (statement is IConditionalOperation { WhenFalse: null } early
                            && Test(early.Condition, symbols) == false
                            && Exits(early.WhenTrue))
                        {
                            return true;
                        }
                    }

                    break;

                case ISwitchCaseOperation switchCase when switchCase.Parent is ISwitchOperation switchStatement
                    && References(switchStatement.Value, symbols)
                    && switchCase.Clauses.All(c => c is ISingleValueCaseClauseOperation { Value.ConstantValue.HasValue: true }
                        || c is IPatternCaseClauseOperation { Pattern: IConstantPatternOperation }):
                    return true;

                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>True: the condition holds only for allowed values; false: it holds only for values not allowed; null: neither.</summary>
    private static bool? Test(IOperation condition, HashSet<ISymbol> symbols)
    {
        condition = Unwrap(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Negate(Test(not.Operand, symbols));

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                // a && b holds only for allowed values when either does.
                return Test(and.LeftOperand, symbols) == true || Test(and.RightOperand, symbols) == true ? true : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                return Test(or.LeftOperand, symbols) == false || Test(or.RightOperand, symbols) == false ? false : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var isEquals = comparison.OperatorKind == BinaryOperatorKind.Equals;
                if (IsBoolConstant(comparison.RightOperand, out var value))
                {
                    var inner = Test(comparison.LeftOperand, symbols);
                    return value == isEquals ? inner : Negate(inner);
                }

                if (References(comparison.LeftOperand, symbols) && comparison.RightOperand.ConstantValue.HasValue
                    || References(comparison.RightOperand, symbols) && comparison.LeftOperand.ConstantValue.HasValue)
                {
                    return isEquals;
                }

                return null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual } indexCheck
                when indexCheck.LeftOperand is IInvocationOperation { TargetMethod.Name: "IndexOf" } indexOf && ArgumentsReference(indexOf, symbols)
                    && indexCheck.RightOperand.ConstantValue.Value is 0:
                return indexCheck.OperatorKind == BinaryOperatorKind.GreaterThanOrEqual;

            case IIsPatternOperation isPattern when References(isPattern.Value, symbols):
                return PatternTest(isPattern.Pattern);

            case IInvocationOperation invocation when IsMembershipTest(invocation.TargetMethod) && ArgumentsReference(invocation, symbols):
                return true;

            default:
                return null;
        }
    }

    private static bool? PatternTest(IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation => true,
            INegatedPatternOperation negated => Negate(PatternTest(negated.Pattern)),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => PatternTest(or.LeftPattern) == true && PatternTest(or.RightPattern) == true ? true : null,
            _ => null,
        };

    private static bool IsMembershipTest(IMethodSymbol method)
        => method.Name is "Contains" or "ContainsKey" or "TryGetValue" or "Any" or "Exists" or "Equals"
            || method.Name.IndexOf("Allow", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>An argument (not the receiver) is the tested value: <c>Allowed.Contains(name)</c>, not <c>name.Contains("/")</c>.</summary>
    private static bool ArgumentsReference(IInvocationOperation invocation, HashSet<ISymbol> symbols)
    {
        if (invocation.Instance is { } instance && References(instance, symbols))
        {
            // name.Equals("git") is a comparison with a constant.
            return invocation.TargetMethod.Name == "Equals" && invocation.Arguments.Any(a => a.Value.ConstantValue.HasValue);
        }

        var arguments = invocation.TargetMethod.IsExtensionMethod ? invocation.Arguments.Skip(1) : invocation.Arguments;
        return arguments.Any(a => a.Parameter?.RefKind != RefKind.Out && References(a.Value, symbols))
            && (invocation.TargetMethod.Name != "Equals" || invocation.Arguments.Any(a => a.Value.ConstantValue.HasValue));
    }

    private static bool Exits(IOperation? operation)
        => operation switch
        {
            IReturnOperation or IThrowOperation => true,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation block => block.Operations.Length > 0 && Exits(block.Operations[block.Operations.Length - 1]),
            _ => false,
        };

    private static bool References(IOperation operation, HashSet<ISymbol> symbols)
        => operation.DescendantsAndSelf().Any(o => o switch
        {
            ILocalReferenceOperation local => symbols.Contains(local.Local),
            IParameterReferenceOperation parameter => symbols.Contains(parameter.Parameter),
            _ => false,
        });

    /// <summary>The locals and parameters the sink is made of, and those their assigned values are made of.</summary>
    private static HashSet<ISymbol> ReferencedSymbols(IOperation sink, LocalValues locals)
    {
        var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<(IOperation Operation, int Depth)>();
        pending.Enqueue((sink, 0));
        while (pending.Count > 0)
        {
            var (operation, depth) = pending.Dequeue();
            foreach (var alternative in depth < 3 ? locals.Alternatives(operation).Append(operation) : new[] { operation })
            {
                foreach (var reference in alternative.DescendantsAndSelf())
                {
                    ISymbol? symbol = reference switch
                    {
                        ILocalReferenceOperation local => local.Local,
                        IParameterReferenceOperation parameter => parameter.Parameter,
                        _ => null,
                    };

                    if (symbol is not null && symbols.Add(symbol) && depth < 3 && reference is ILocalReferenceOperation)
                    {
                        pending.Enqueue((reference, depth + 1));
                    }
                }
            }
        }

        return symbols;
    }

    private static bool IsBoolConstant(IOperation operation, out bool value)
    {
        if (operation.ConstantValue is { HasValue: true, Value: bool b })
        {
            value = b;
            return true;
        }

        value = false;
        return false;
    }

    private static bool? Negate(bool? value) => value is null ? null : !value;

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
