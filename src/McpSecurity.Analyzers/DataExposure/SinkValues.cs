using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// The parts of a value given to a sink that a diagnostic points at: a message built by
/// concatenation, interpolation or <c>string.Format/Concat/Join</c> is opened into its pieces, so
/// <c>$"failed with {args}"</c> is reported on <c>args</c> and a fix can replace just that piece.
/// Text with a <c>Password=</c> field stays whole: the whole string is the credential.
/// </summary>
internal static class SinkValues
{
    public static List<IOperation> Leaves(IOperation value)
    {
        var leaves = new List<IOperation>();
        Open(value, leaves, 0);
        return leaves;
    }

    private static void Open(IOperation? operation, List<IOperation> leaves, int depth)
    {
        if (operation is null || operation.ConstantValue.HasValue)
        {
            return;
        }

        if (depth > 32)
        {
            leaves.Add(operation);
            return;
        }

        depth++;
        switch (operation)
        {
            case IConversionOperation { IsImplicit: true } conversion:
                Open(conversion.Operand, leaves, depth);
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } binary
                when !SecretValues.CarriesPassword(binary):
                Open(binary.LeftOperand, leaves, depth);
                Open(binary.RightOperand, leaves, depth);
                return;
            case IInterpolatedStringOperation interpolated when !SecretValues.CarriesPassword(interpolated):
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolationOperation hole:
                            Open(hole.Expression, leaves, depth);
                            break;
                        case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation append } when append.Arguments.Length > 0
                            && append.TargetMethod.Name != "AppendLiteral":
                            Open(append.Arguments[0].Value, leaves, depth);
                            break;
                    }
                }

                return;
            case IInterpolatedStringHandlerCreationOperation handler:
                Open(handler.Content, leaves, depth);
                return;
            case IInterpolatedStringAdditionOperation addition:
                Open(addition.Left, leaves, depth);
                Open(addition.Right, leaves, depth);
                return;
            case IConditionalOperation conditional:
                Open(conditional.WhenTrue, leaves, depth);
                Open(conditional.WhenFalse, leaves, depth);
                return;
            case ICoalesceOperation coalesce:
                Open(coalesce.Value, leaves, depth);
                Open(coalesce.WhenNull, leaves, depth);
                return;
            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Format" or "Concat" or "Join", ContainingType.SpecialType: SpecialType.System_String } } invocation:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                    {
                        foreach (var item in items.ElementValues)
                        {
                            Open(item, leaves, depth);
                        }
                    }
                    else
                    {
                        Open(argument.Value, leaves, depth);
                    }
                }

                return;
            default:
                leaves.Add(operation);
                return;
        }
    }
}
