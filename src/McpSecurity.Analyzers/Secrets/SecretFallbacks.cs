using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Secrets;

internal enum FallbackShape
{
    /// <summary><c>read ?? "dev-key"</c>.</summary>
    Coalesce,

    /// <summary><c>key ??= "dev-key"</c>.</summary>
    CoalesceAssignment,

    /// <summary><c>config.GetValue&lt;string&gt;("Jwt:Key", "dev-key")</c>.</summary>
    ConfigurationDefault,

    /// <summary><c>string.IsNullOrEmpty(s) ? "dev-key" : s</c>.</summary>
    NullOrEmptyConditional,

    /// <summary><c>s is null ? "dev-key" : s</c>.</summary>
    NullConditional,

    /// <summary><c>env.IsDevelopment() ? "dev-key" : config["Jwt:Key"]</c>.</summary>
    EnvironmentConditional,

    /// <summary><c>useDefault ? "dev-key" : config["Jwt:Key"]</c>: any condition in front of a read.</summary>
    ReadConditional,

    /// <summary><c>if (string.IsNullOrEmpty(key)) key = "dev-key";</c></summary>
    GuardedAssignment,

    /// <summary><c>if (environment != "production") key = "dev-key";</c></summary>
    EnvironmentGuardedAssignment,
}

/// <summary>
/// A secret with a literal fallback (MCPSEC102): the shape, the operation that chooses between the
/// secret and the literal, and the secret's name for the message and the fail-fast fix.
/// </summary>
internal sealed class SecretFallback
{
    public SecretFallback(FallbackShape shape, IOperation node, IOperation fallback, IOperation? primary, string name, string when, SecretRead? read)
    {
        Shape = shape;
        Node = node;
        Fallback = fallback;
        Primary = primary;
        Name = name;
        When = when;
        Read = read;
    }

    public FallbackShape Shape { get; }

    /// <summary>The coalesce, conditional, GetValue call or assignment that falls back.</summary>
    public IOperation Node { get; }

    /// <summary>The fallback side (the literal, or the branch holding it).</summary>
    public IOperation Fallback { get; }

    /// <summary>The real source: the coalesce's left side, the conditional's other branch, the assigned target.</summary>
    public IOperation? Primary { get; }

    /// <summary>The env var, configuration key or member name the secret is known by.</summary>
    public string Name { get; }

    /// <summary>When the fallback is taken, for the message ("it is not set").</summary>
    public string When { get; }

    public SecretRead? Read { get; }

    /// <summary>The name a fail-fast message should give: the env var or key when constant, else <see cref="Name"/>.</summary>
    public string RequiredName => Read?.Key ?? Name;
}

/// <summary>Decides, for an operation a literal flows through, whether it is a secret's fallback.</summary>
internal static class SecretFallbacks
{
    public static SecretFallback? ForCoalesce(ICoalesceOperation coalesce, SecretSymbols symbols, SecretNameOptions names)
    {
        if (IsConstantLike(coalesce.Value))
        {
            return null;
        }

        var read = SecretReads.Describe(coalesce.Value, symbols);
        var name = SecretName(read, coalesce, symbols, names);
        return name is null
            ? null
            : new SecretFallback(FallbackShape.Coalesce, coalesce, coalesce.WhenNull, coalesce.Value, name, MissingText(read), read);
    }

    public static SecretFallback? ForCoalesceAssignment(ICoalesceAssignmentOperation assignment, SecretSymbols symbols, SecretNameOptions names)
    {
        var read = SecretReads.Describe(assignment.Target, symbols);
        var name = read?.SecretName(names);
        return name is null
            ? null
            : new SecretFallback(FallbackShape.CoalesceAssignment, assignment, assignment.Value, assignment.Target, name, "it is null", read);
    }

    public static SecretFallback? ForConfigurationDefault(IArgumentOperation argument, IInvocationOperation invocation, SecretSymbols symbols, SecretNameOptions names)
    {
        if (argument.Parameter?.Name != "defaultValue"
            || invocation.TargetMethod.Name != "GetValue"
            || !SecretSymbols.Is(invocation.TargetMethod.ContainingType, symbols.ConfigurationBinder))
        {
            return null;
        }

        var read = SecretReads.Describe(invocation, symbols);
        var name = SecretName(read, invocation, symbols, names);
        return name is null
            ? null
            : new SecretFallback(FallbackShape.ConfigurationDefault, invocation, argument, invocation, name, "the configuration value is missing", read);
    }

    public static SecretFallback? ForConditional(IConditionalOperation conditional, IOperation literalBranch, SecretSymbols symbols, SecretNameOptions names)
    {
        var literalIsTrue = conditional.WhenTrue == literalBranch;
        var other = literalIsTrue ? conditional.WhenFalse : conditional.WhenTrue;
        if (other is null || IsConstantLike(other))
        {
            return null;
        }

        var read = SecretReads.Describe(other, symbols);
        FallbackShape shape;
        string when;
        if (NullCheck(conditional.Condition, other) is { } check)
        {
            if (check.FallbackWhenTrue != literalIsTrue)
            {
                // The literal is used when the value IS present: a bug, but not a fallback.
                return null;
            }

            shape = check.OrEmpty ? FallbackShape.NullOrEmptyConditional : FallbackShape.NullConditional;
            when = check.OrEmpty ? "it is null or empty" : "it is null";
        }
        else if (SecretReads.IsEnvironmentDependent(conditional.Condition, symbols))
        {
            shape = FallbackShape.EnvironmentConditional;
            when = "the environment check '" + Abbreviate(conditional.Condition.Syntax.ToString()) + "' selects it";
        }
        else if (read is { IsEnvironmentOrConfiguration: true })
        {
            shape = FallbackShape.ReadConditional;
            when = "'" + Abbreviate(conditional.Condition.Syntax.ToString()) + "' selects it";
        }
        else
        {
            return null;
        }

        var name = SecretName(read, conditional, symbols, names);
        return name is null ? null : new SecretFallback(shape, conditional, literalBranch, other, name, when, read);
    }

    /// <summary>
    /// <c>if (string.IsNullOrEmpty(key)) key = "dev";</c> or <c>if (env != "production") key = "dev";</c>:
    /// the assignment is the last statement of the branch that the check selects.
    /// </summary>
    public static SecretFallback? ForGuardedAssignment(ISimpleAssignmentOperation assignment, SecretSymbols symbols, SecretNameOptions names)
    {
        if (assignment.Parent is not IExpressionStatementOperation statement)
        {
            return null;
        }

        IConditionalOperation? ifStatement = null;
        var inTrueBranch = false;
        switch (statement.Parent)
        {
            case IConditionalOperation direct:
                ifStatement = direct;
                inTrueBranch = direct.WhenTrue == statement;
                break;
            case IBlockOperation block when block.Operations.Length > 0 && block.Operations[block.Operations.Length - 1] == statement
                && block.Parent is IConditionalOperation owner:
                ifStatement = owner;
                inTrueBranch = owner.WhenTrue == block;
                break;
        }

        if (ifStatement is null || ifStatement.Type is not null)
        {
            return null;
        }

        var read = SecretReads.Describe(assignment.Target, symbols);
        var name = read?.SecretName(names);
        if (name is null)
        {
            return null;
        }

        if (NullCheck(ifStatement.Condition, assignment.Target) is { } check)
        {
            return check.FallbackWhenTrue == inTrueBranch
                ? new SecretFallback(FallbackShape.GuardedAssignment, assignment, assignment.Value, assignment.Target, name, check.OrEmpty ? "it is null or empty" : "it is null", read)
                : null;
        }

        return SecretReads.IsEnvironmentDependent(ifStatement.Condition, symbols)
            ? new SecretFallback(
                FallbackShape.EnvironmentGuardedAssignment,
                assignment,
                assignment.Value,
                assignment.Target,
                name,
                "the environment check '" + Abbreviate(ifStatement.Condition.Syntax.ToString()) + "' selects it",
                read)
            : null;
    }

    /// <summary>The secret's name: the read's key or member when secret-named, else the target the value is given to.</summary>
    private static string? SecretName(SecretRead? read, IOperation node, SecretSymbols symbols, SecretNameOptions names)
    {
        if (read?.SecretName(names) is { } fromRead)
        {
            return fromRead;
        }

        var target = SecretLiteralFlow.Follow(node, symbols, names, detectFallbacks: false);
        if (target.Kind == LiteralDestinationKind.SecretNamed)
        {
            return read?.Key ?? target.Name;
        }

        return null;
    }

    private static string MissingText(SecretRead? read) => read?.Kind switch
    {
        SecretReadKind.Environment => "the environment variable is not set",
        SecretReadKind.Configuration => "the configuration value is missing",
        _ => "it is null",
    };

    private static bool IsConstantLike(IOperation operation)
        => SecretOperations.SkipConversions(operation) is { } inner
            && (inner.ConstantValue.HasValue || inner is IUtf8StringOperation || SecretLiteralFlow.IsLiteralArray(inner));

    private sealed class NullCheckResult
    {
        public NullCheckResult(bool orEmpty, bool fallbackWhenTrue)
        {
            OrEmpty = orEmpty;
            FallbackWhenTrue = fallbackWhenTrue;
        }

        public bool OrEmpty { get; }

        /// <summary>The condition is true when the value is missing.</summary>
        public bool FallbackWhenTrue { get; }

        public NullCheckResult Negate() => new(OrEmpty, !FallbackWhenTrue);
    }

    /// <summary>Whether <paramref name="condition"/> tests <paramref name="value"/> for null or empty, and which way.</summary>
    private static NullCheckResult? NullCheck(IOperation condition, IOperation value)
    {
        switch (SecretOperations.SkipConversions(condition))
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return NullCheck(not.Operand, value)?.Negate();

            case IInvocationOperation { TargetMethod: { Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", ContainingType.SpecialType: SpecialType.System_String } } call
                when call.Arguments.Length == 1 && SecretOperations.SameValue(call.Arguments[0].Value, value):
                return new NullCheckResult(orEmpty: true, fallbackWhenTrue: true);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                var left = NullCheck(or.LeftOperand, value);
                var right = NullCheck(or.RightOperand, value);
                return left is { FallbackWhenTrue: true } || right is { FallbackWhenTrue: true } ? new NullCheckResult(true, true) : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                var leftAnd = NullCheck(and.LeftOperand, value);
                var rightAnd = NullCheck(and.RightOperand, value);
                return leftAnd is { FallbackWhenTrue: false } || rightAnd is { FallbackWhenTrue: false } ? new NullCheckResult(true, false) : null;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var equals = binary.OperatorKind == BinaryOperatorKind.Equals;
                var missing = ComparesWithMissing(binary.LeftOperand, binary.RightOperand, value)
                    ?? ComparesWithMissing(binary.RightOperand, binary.LeftOperand, value);
                return missing is { } orEmpty ? new NullCheckResult(orEmpty, equals) : null;

            case IIsPatternOperation pattern when SecretOperations.SameValue(pattern.Value, value):
                return pattern.Pattern switch
                {
                    IConstantPatternOperation constant when IsMissingConstant(constant.Value) is { } empty => new NullCheckResult(empty, true),
                    INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when IsMissingConstant(constant.Value) is { } empty => new NullCheckResult(empty, false),
                    _ => null,
                };

            default:
                return null;
        }
    }

    /// <summary><c>value == null</c>, <c>value == ""</c>, <c>value.Length == 0</c>: null when it is none of them, else whether empty counts.</summary>
    private static bool? ComparesWithMissing(IOperation candidate, IOperation constant, IOperation value)
    {
        if (SecretOperations.SameValue(candidate, value))
        {
            return IsMissingConstant(constant);
        }

        if (SecretOperations.SkipConversions(candidate) is IPropertyReferenceOperation { Property.Name: "Length" } length
            && SecretOperations.SameValue(length.Instance, value)
            && constant.ConstantValue is { HasValue: true, Value: 0 })
        {
            return true;
        }

        return null;
    }

    private static bool? IsMissingConstant(IOperation operation)
    {
        var constant = SecretOperations.SkipConversions(operation)?.ConstantValue ?? default;
        if (!constant.HasValue)
        {
            return null;
        }

        return constant.Value switch
        {
            null => false,
            "" => true,
            _ => null,
        };
    }

    private static string Abbreviate(string text)
    {
        text = string.Join(" ", text.Split(new[] { ' ', '\r', '\n', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 90 ? text : text.Substring(0, 87) + "...";
    }
}
