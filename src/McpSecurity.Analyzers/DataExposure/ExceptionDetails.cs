using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.DataExposure;

/// <summary>
/// The classifier of <see cref="ValueTrace"/> for MCPSEC503: what of an exception a value carries.
/// <c>Message</c> alone is a warning (it is sometimes written for users, and often quotes a path or
/// a query); <c>ToString()</c>, <c>StackTrace</c>, <c>Source</c>, <c>TargetSite</c>, <c>Data</c>, the
/// exception object itself (its text is type, message and stack trace) and
/// <c>Environment.StackTrace</c> are errors. <c>GetType().Name</c> and <c>HResult</c> carry no data.
/// The message of an <c>McpException</c> is written for the client and is not reported.
/// </summary>
internal sealed class ExceptionDetails
{
    private readonly DataExposureSymbols symbols;

    public ExceptionDetails(DataExposureSymbols symbols) => this.symbols = symbols;

    public Origin? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Instance: { } instance } property when symbols.IsException(instance.Type):
                return property.Property.Name switch
                {
                    "Message" when !symbols.IsMcpException(instance.Type) => new Origin(OriginKind.ExceptionMessage, "the exception's message", operation),
                    "StackTrace" => new Origin(OriginKind.ExceptionText, "the exception's stack trace", operation),
                    "Source" or "TargetSite" or "Data" => new Origin(OriginKind.ExceptionText, "the exception's " + property.Property.Name, operation),
                    _ => null,
                };

            case IInvocationOperation { TargetMethod.Name: "ToString", Instance: { } instance } when symbols.IsException(instance.Type):
                return new Origin(OriginKind.ExceptionText, "the exception text (type, message and stack trace)", operation);

            case IPropertyReferenceOperation { Property.Name: "StackTrace", Property.IsStatic: true } property
                when SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, symbols.Environment):
                return new Origin(OriginKind.ExceptionText, "the stack trace", operation);

            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, symbols.StackTrace):
                return new Origin(OriginKind.ExceptionText, "the stack trace", operation);

            case IConversionOperation:
                // (object)ex: the trace follows the operand.
                return null;

            default:
                // ex, ex.InnerException, ex.GetBaseException(): the whole exception, as text or serialized.
                return symbols.IsException(operation.Type) ? Whole(operation) : null;
        }
    }

    /// <summary>
    /// <see cref="Classify"/> without the message: a first pass with it finds the stack trace in a
    /// report that also quotes the message, so the finding gets the severity of the worst it carries.
    /// </summary>
    public Origin? ClassifyText(IOperation operation)
        => Classify(operation) is { Kind: OriginKind.ExceptionText } origin ? origin : null;

    private static Origin Whole(IOperation operation)
        => new(OriginKind.ExceptionText, "the exception text (type, message and stack trace)", operation);
}
