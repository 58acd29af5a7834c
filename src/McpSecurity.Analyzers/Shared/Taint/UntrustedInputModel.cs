using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Shared.Taint;

/// <summary>
/// "Does this value derive from untrusted MCP input?" for one method body (its lambdas and local
/// functions included). Built once per body by <see cref="UntrustedInputSources.ForMethod(ISymbol, ImmutableArray{IOperation}, CancellationToken)"/>:
/// a flow-insensitive fixpoint over the assignments in the body marks the locals (and fields or
/// properties of <c>this</c>, and local-function parameters) that ever hold client data; then
/// <see cref="IsUntrusted(IOperation, out string)"/> answers for any expression of the body and names
/// the source (the tool parameter, <c>CallToolRequestParams.Arguments</c>, …) so a message can say
/// where the value came from.
/// <para>
/// Sources: parameters of MCP tools, prompts and resources (minus injected services, see
/// <see cref="InjectedParameters"/>), parameters of lambdas handed to <c>McpServerTool.Create</c>,
/// the places listed in <c>mcpsec.untrusted_parameters</c>, and <c>CallToolRequestParams.Arguments</c>.
/// Propagation: reads from an untrusted object (members, indexers, elements, method results, out
/// arguments, <c>foreach</c> variables, pattern variables), string building (<c>+</c>, interpolation,
/// <c>string.Format/Join/Concat</c>, string instance methods), <c>Path</c>, <c>JsonSerializer</c>,
/// <c>Convert</c>, encoders, LINQ, <c>ToString()</c>, collections and builders an untrusted value was
/// added to, objects constructed from one. Ends: constants, values of inert types (numbers, enums,
/// <c>bool</c>, <c>Guid</c>, dates — so parsing ends it), <c>.Keys</c>, <c>.Count</c>, <c>.Length</c>,
/// <c>GetType()</c>, <c>nameof</c>, and lookups keyed by input in a trusted table (<c>Allowed[name]</c>).
/// </para>
/// </summary>
internal sealed class UntrustedInputModel
{
    /// <summary>Members whose value says something about a collection or object, never its content.</summary>
    private static readonly ImmutableHashSet<string> ShapeMembers = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Keys", "Count", "Length", "LongLength", "Rank", "Capacity", "GetType", "GetHashCode", "ValueKind");

    /// <summary>Methods that add their arguments to the receiver: the receiver then holds client data.</summary>
    private static readonly ImmutableHashSet<string> Appenders = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Add", "AddRange", "Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "InsertRange",
        "Push", "Enqueue", "TryAdd", "Write", "WriteLine", "Set", "SetValue", "Replace");

    /// <summary>Types whose static methods return a value built from their arguments.</summary>
    private static readonly ImmutableHashSet<string> PropagatingStaticTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "System.String", "System.IO.Path", "System.Text.Json.JsonSerializer", "System.Convert", "System.Uri",
        "System.Net.WebUtility", "System.Web.HttpUtility", "System.Text.RegularExpressions.Regex", "System.Environment",
        "System.Linq.Enumerable", "System.FormattableString", "System.Text.Encodings.Web.UrlEncoder",
        "System.Text.Encodings.Web.HtmlEncoder", "System.Text.Encodings.Web.JavaScriptEncoder", "System.Security.SecurityElement",
        "System.Text.Json.JsonDocument", "System.Text.Json.Nodes.JsonNode", "System.Text.Json.JsonElement",
        "System.Text.Json.Nodes.JsonValue", "System.MemoryExtensions", "System.Array", "System.Tuple", "System.ValueTuple");

    /// <summary>Types whose instance methods return a value built from their arguments (an encoding of the input).</summary>
    private static readonly ImmutableHashSet<string> PropagatingInstanceTypes = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "System.String", "System.Text.StringBuilder", "System.Text.Encoding", "System.Text.Encodings.Web.TextEncoder",
        "System.IO.StringWriter", "System.Text.RegularExpressions.Regex");

    private readonly UntrustedInputSources sources;
    private readonly Dictionary<ISymbol, string> tainted;
    private readonly Dictionary<ISymbol, string> sourceParameters;
    private readonly UntrustedInputSources.Configuration configuration;
    private readonly Dictionary<IMethodSymbol, ILocalFunctionOperation> localFunctions;
    private Func<IParameterSymbol, string?>? additionalSource;

    private UntrustedInputModel(
        UntrustedInputSources sources,
        UntrustedInputSources.Configuration configuration,
        Dictionary<ISymbol, string> sourceParameters,
        Dictionary<IMethodSymbol, ILocalFunctionOperation> localFunctions)
    {
        this.sources = sources;
        this.configuration = configuration;
        this.sourceParameters = sourceParameters;
        this.localFunctions = localFunctions;
        tainted = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
    }

    /// <summary>Whether any source exists in the body; when false, nothing in it is untrusted.</summary>
    public bool HasSources { get; private set; }

    /// <summary>The parameters of the body that are sources, with the name a message uses for each.</summary>
    public IEnumerable<ISymbol> SourceParameters => sourceParameters.Keys;

    public bool IsUntrusted(IOperation? value) => IsUntrusted(value, out _);

    /// <summary>
    /// Whether <paramref name="value"/> derives from untrusted MCP input; <paramref name="sourceName"/>
    /// names the source (a parameter name, or <c>CallToolRequestParams.Arguments</c>).
    /// </summary>
    public bool IsUntrusted(IOperation? value, out string sourceName)
    {
        sourceName = string.Empty;
        if (!HasSources || value is null)
        {
            return false;
        }

        var found = Evaluate(value, null);
        sourceName = found ?? string.Empty;
        return found is not null;
    }

    /// <summary>Whether a local, parameter, field or property of the body ever holds untrusted input.</summary>
    public bool IsUntrusted(ISymbol symbol, out string sourceName)
    {
        if (tainted.TryGetValue(symbol, out var name) || sourceParameters.TryGetValue(symbol, out name))
        {
            sourceName = name;
            return true;
        }

        sourceName = string.Empty;
        return false;
    }

    internal static UntrustedInputModel Build(
        UntrustedInputSources sources,
        UntrustedInputSources.Configuration configuration,
        ISymbol owningSymbol,
        ImmutableArray<IOperation> blocks,
        CancellationToken cancellationToken,
        Func<IParameterSymbol, string?>? additionalSource = null)
    {
        var parameters = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        var localFunctions = new Dictionary<IMethodSymbol, ILocalFunctionOperation>(SymbolEqualityComparer.Default);
        if (owningSymbol is IMethodSymbol method)
        {
            AddSourceParameters(method, configuration, parameters, additionalSource);
        }

        var model = new UntrustedInputModel(sources, configuration, parameters, localFunctions) { additionalSource = additionalSource };
        var edges = new List<Edge>();
        var hasOtherSources = false;
        foreach (var block in blocks)
        {
            if (block is null)
            {
                continue;
            }

            foreach (var operation in block.DescendantsAndSelf())
            {
                model.Collect(operation, edges, ref hasOtherSources);
            }
        }

        model.HasSources = parameters.Count > 0 || hasOtherSources;
        if (model.HasSources)
        {
            model.Propagate(edges, cancellationToken);
        }

        return model;
    }

    private static void AddSourceParameters(
        IMethodSymbol method, UntrustedInputSources.Configuration configuration, Dictionary<ISymbol, string> parameters, Func<IParameterSymbol, string?>? additionalSource)
    {
        var isTool = McpToolMethods.IsToolMethod(method, configuration.ToolAttributes);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out)
            {
                continue;
            }

            var listed = configuration.Places.Any(p => p.Covers(parameter) && p.Matches(method) && (!p.ParameterNames.IsEmpty || !InjectedParameters.IsInjected(parameter, configuration.InjectedTypes)));
            var commandType = configuration.CommandTypes.Any(t => parameter.Type.DerivesFrom(t));
            if (listed || commandType || isTool && !InjectedParameters.IsInjected(parameter, configuration.InjectedTypes))
            {
                parameters[parameter] = parameter.Name;
            }
            else if (additionalSource?.Invoke(parameter) is { } name)
            {
                // A source only the calling rule knows (MCPSEC501's arguments collections).
                parameters[parameter] = name;
            }
        }
    }

    private void Collect(IOperation operation, List<Edge> edges, ref bool hasOtherSources)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                edges.Add(new Edge(declarator.Symbol, initializer.Value));
                break;

            case IAssignmentOperation assignment:
                CollectAssignment(assignment.Target, assignment.Value, edges);
                break;

            case IForEachLoopOperation loop:
                foreach (var local in loop.Locals)
                {
                    edges.Add(new Edge(local, loop.Collection));
                }

                break;

            case IIsPatternOperation isPattern:
                AddPatternEdges(isPattern.Pattern, isPattern.Value, edges);
                break;

            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    AddPatternEdges(arm.Pattern, switchExpression.Value, edges);
                }

                break;

            case ISwitchOperation switchStatement:
                foreach (var clause in switchStatement.Cases.SelectMany(c => c.Clauses).OfType<IPatternCaseClauseOperation>())
                {
                    AddPatternEdges(clause.Pattern, switchStatement.Value, edges);
                }

                break;

            case IInvocationOperation invocation:
                CollectInvocation(invocation, edges);
                break;

            case ILocalFunctionOperation localFunction:
                localFunctions[localFunction.Symbol] = localFunction;
                AddSourceParameters(localFunction.Symbol, configuration, sourceParameters, additionalSource);
                break;

            case IAnonymousFunctionOperation lambda:
                AddSourceParameters(lambda.Symbol, configuration, sourceParameters, additionalSource);
                if (IsDelegateTool(lambda))
                {
                    foreach (var parameter in lambda.Symbol.Parameters)
                    {
                        if (!InjectedParameters.IsInjected(parameter, configuration.InjectedTypes))
                        {
                            sourceParameters[parameter] = parameter.Name;
                        }
                    }
                }

                break;

            case IPropertyReferenceOperation property when IsSourceProperty(property) is not null:
                hasOtherSources = true;
                break;

            case IFieldReferenceOperation field when IsCommandMember(field.Instance, field.Field) is not null:
                hasOtherSources = true;
                break;

            case IPropertyReferenceOperation property when IsCommandMember(property.Instance, property.Property) is not null:
                hasOtherSources = true;
                break;
        }
    }

    private static void CollectAssignment(IOperation target, IOperation value, List<Edge> edges)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                edges.Add(new Edge(local.Local, value));
                break;
            case IParameterReferenceOperation parameter:
                edges.Add(new Edge(parameter.Parameter, value));
                break;
            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                edges.Add(new Edge(field.Field, value));
                break;
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false } property:
                edges.Add(new Edge(property.Property, value));
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                // dict[key] = input: the dictionary now holds client data.
                if (RootSymbol(instance) is { } container)
                {
                    edges.Add(new Edge(container, value));
                }

                break;
            case IArrayElementReferenceOperation element:
                if (RootSymbol(element.ArrayReference) is { } array)
                {
                    edges.Add(new Edge(array, value));
                }

                break;
            case ITupleOperation tuple:
                // (a, b) = (x, input): flow-insensitive, each element from the whole value.
                foreach (var element in tuple.Elements)
                {
                    CollectAssignment(element is IDeclarationExpressionOperation d ? d.Expression : element, value, edges);
                }

                break;
            case IDeclarationExpressionOperation declaration:
                CollectAssignment(declaration.Expression, value, edges);
                break;
        }
    }

    private void CollectInvocation(IInvocationOperation invocation, List<Edge> edges)
    {
        var method = invocation.TargetMethod;

        // Values flow into a local function's parameters from its calls in the same body.
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    edges.Add(new Edge(parameter.OriginalDefinition, argument.Value));
                }
            }
        }

        // out/ref arguments of a read from an untrusted object: args.TryGetValue("cmd", out var cmd).
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && RootSymbol(argument.Value) is { } outTarget)
            {
                edges.Add(new Edge(outTarget, invocation, EdgeKind.InvocationInputs));
            }
        }

        var receiver = Receiver(invocation);

        // items.Select(item => …), items.ForEach(item => …): the lambda's parameters see the receiver's elements.
        if (receiver is not null)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Unwrap(argument.Value) is IAnonymousFunctionOperation lambda)
                {
                    foreach (var parameter in lambda.Symbol.Parameters)
                    {
                        edges.Add(new Edge(parameter, receiver));
                    }
                }
            }
        }

        // builder.Append(input), list.Add(input): the receiver now holds client data. Strings are
        // immutable: template.Replace("{x}", input) leaves 'template' as it was.
        if (receiver is not null && Appenders.Contains(method.Name) && receiver.Type?.SpecialType != SpecialType.System_String
            && RootSymbol(receiver) is { } container)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (!ReferenceEquals(argument.Value, receiver))
                {
                    edges.Add(new Edge(container, argument.Value));
                }
            }
        }
    }

    private static void AddPatternEdges(IPatternOperation pattern, IOperation value, List<Edge> edges)
    {
        foreach (var operation in pattern.DescendantsAndSelf())
        {
            var declared = operation switch
            {
                IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
                IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
                IListPatternOperation list => list.DeclaredSymbol,
                _ => null,
            };

            if (declared is not null)
            {
                edges.Add(new Edge(declared, value));
            }
        }
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IDelegateCreationOperation or IConversionOperation)
        {
            operation = operation is IDelegateCreationOperation creation ? creation.Target : ((IConversionOperation)operation).Operand;
        }

        return operation;
    }

    private bool IsDelegateTool(IAnonymousFunctionOperation lambda)
    {
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Create" } factory } }
            && sources.ToolFactories.Any(t => SymbolEqualityComparer.Default.Equals(factory.ContainingType, t));
    }

    private void Propagate(List<Edge> edges, CancellationToken cancellationToken)
    {
        var changed = true;
        while (changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed = false;
            foreach (var edge in edges)
            {
                if (tainted.ContainsKey(edge.Target) || sources.Inert.IsInert(TypeOf(edge.Target)))
                {
                    continue;
                }

                var found = edge.Kind == EdgeKind.InvocationInputs
                    ? EvaluateInvocationInputs((IInvocationOperation)edge.Value, null)
                    : Evaluate(edge.Value, null);
                if (found is not null)
                {
                    tainted[edge.Target] = found;
                    changed = true;
                }
            }
        }
    }

    /// <summary>The source the value derives from, or null. <paramref name="frame"/> is the local-function call being evaluated, if any.</summary>
    private string? Evaluate(IOperation? operation, Frame? frame)
    {
        if (operation is null || operation.ConstantValue.HasValue)
        {
            return null;
        }

        if (operation.Type is { } type && sources.Inert.IsInert(type))
        {
            return null;
        }

        switch (operation)
        {
            case IParameterReferenceOperation parameter:
                if (frame is not null && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol?.OriginalDefinition, frame.Function))
                {
                    // Inside a local function evaluated for one call: the parameter is that call's argument.
                    var argument = frame.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.Parameter.OriginalDefinition));
                    return argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue ? null : Evaluate(argument.Value, frame.Caller);
                }

                return SymbolSource(parameter.Parameter) ?? SymbolSource(parameter.Parameter.OriginalDefinition);

            case ILocalReferenceOperation local:
                return SymbolSource(local.Local);

            case IPropertyReferenceOperation property:
                return EvaluateMember(property.Property, property.Instance, property.Arguments, frame)
                    ?? IsSourceProperty(property);

            case IFieldReferenceOperation field:
                return EvaluateMember(field.Field, field.Instance, ImmutableArray<IArgumentOperation>.Empty, frame);

            case IArrayElementReferenceOperation element:
                return Evaluate(element.ArrayReference, frame);

            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation, frame);

            case IBinaryOperation binary:
                return Evaluate(binary.LeftOperand, frame) ?? Evaluate(binary.RightOperand, frame);

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    var found = part switch
                    {
                        IInterpolationOperation hole => Evaluate(hole.Expression, frame),
                        IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation append } => FirstOf(append.Arguments, frame),
                        _ => null,
                    };
                    if (found is not null)
                    {
                        return found;
                    }
                }

                return null;

            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, frame);

            case IConditionalOperation conditional:
                return Evaluate(conditional.WhenTrue, frame) ?? Evaluate(conditional.WhenFalse, frame);

            case ICoalesceOperation coalesce:
                return Evaluate(coalesce.Value, frame) ?? Evaluate(coalesce.WhenNull, frame);

            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    if (Evaluate(arm.Value, frame) is { } found)
                    {
                        return found;
                    }
                }

                return null;

            case IConditionalAccessOperation conditionalAccess:
                return Evaluate(conditionalAccess.WhenNotNull, frame);

            case IConditionalAccessInstanceOperation instance:
                return ConditionalAccessReceiver(instance) is { } receiver ? Evaluate(receiver, frame) : null;

            case IAwaitOperation awaited:
                return Evaluate(awaited.Operation, frame);

            case IAssignmentOperation assignment:
                return Evaluate(assignment.Value, frame);

            case IObjectCreationOperation creation:
                return FirstOf(creation.Arguments.Select(a => a.Value), frame) ?? Evaluate(creation.Initializer, frame);

            case IObjectOrCollectionInitializerOperation initializer:
                foreach (var element in initializer.Initializers)
                {
                    // new List<string> { input }: the Add call's receiver is the object being built.
                    var found = element is IInvocationOperation { Instance: IInstanceReferenceOperation } add
                        ? FirstOf(add.Arguments, frame)
                        : Evaluate(element, frame);
                    if (found is not null)
                    {
                        return found;
                    }
                }

                return null;

            case IMemberInitializerOperation memberInitializer:
                return Evaluate(memberInitializer.Initializer, frame);

            case IAnonymousObjectCreationOperation anonymous:
                return FirstOf(anonymous.Initializers, frame);

            case ITupleOperation tuple:
                return FirstOf(tuple.Elements, frame);

            case IArrayCreationOperation array:
                return Evaluate(array.Initializer, frame);

            case IArrayInitializerOperation arrayInitializer:
                return FirstOf(arrayInitializer.ElementValues, frame);

            case IArgumentOperation argument:
                return Evaluate(argument.Value, frame);

            case IWithOperation with:
                return Evaluate(with.Operand, frame) ?? Evaluate(with.Initializer, frame);

            case IInterpolatedStringHandlerCreationOperation handler:
                return Evaluate(handler.Content, frame);

            case IInterpolatedStringAdditionOperation addition:
                return Evaluate(addition.Left, frame) ?? Evaluate(addition.Right, frame);

            case IRangeOperation or INameOfOperation or ITypeOfOperation or ISizeOfOperation or IDefaultValueOperation
                or ILiteralOperation or IIsTypeOperation or IIsPatternOperation or IAnonymousFunctionOperation
                or IDelegateCreationOperation or IInstanceReferenceOperation:
                return null;

            case IInvalidOperation:
                return FirstOf(operation.ChildOperations, frame);

            default:
                // Collection expressions and other shapes this Roslyn has no operation for: any part.
                return operation.Kind == OperationKind.None ? FirstOf(operation.ChildOperations, frame) : null;
        }
    }

    private string? FirstOf(IEnumerable<IOperation> operations, Frame? frame)
    {
        foreach (var operation in operations)
        {
            if (Evaluate(operation, frame) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private string? SymbolSource(ISymbol symbol)
        => tainted.TryGetValue(symbol, out var name) || sourceParameters.TryGetValue(symbol, out name) ? name : null;

    private string? EvaluateMember(ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, Frame? frame)
    {
        if (ShapeMembers.Contains(member.Name))
        {
            return null;
        }

        if (instance is null or IInstanceReferenceOperation && SymbolSource(member) is { } assigned)
        {
            return assigned;
        }

        if (IsCommandMember(instance, member) is { } command)
        {
            return command;
        }

        // args["cmd"], dto.Command, list[0]: read from untrusted data. A trusted table indexed by
        // input (Allowed[name]) is a lookup, not a derivation.
        _ = arguments;
        return instance is null or IInstanceReferenceOperation ? null : Evaluate(instance, frame);
    }

    private string? IsSourceProperty(IPropertyReferenceOperation property)
        => property.Property.Name == "Arguments"
            && sources.CallToolRequestParams is { } paramsType
            && property.Property.ContainingType.DerivesFrom(paramsType)
                ? "CallToolRequestParams.Arguments"
                : null;

    private string? IsCommandMember(IOperation? instance, ISymbol member)
    {
        if (configuration.CommandTypes.IsEmpty || member.IsStatic || member is not (IPropertySymbol or IFieldSymbol))
        {
            return null;
        }

        var receiverType = instance?.Type ?? member.ContainingType;
        foreach (var commandType in configuration.CommandTypes)
        {
            if (receiverType.DerivesFrom(commandType) || member.ContainingType.DerivesFrom(commandType))
            {
                return commandType.Name + "." + member.Name;
            }
        }

        return null;
    }

    private string? EvaluateInvocation(IInvocationOperation invocation, Frame? frame)
    {
        var method = invocation.TargetMethod;
        if (ShapeMembers.Contains(method.Name) || IsParse(method))
        {
            return null;
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return EvaluateLocalFunctionResult(invocation, frame);
        }

        return EvaluateInvocationInputs(invocation, frame);
    }

    /// <summary>Whether the call's result (or its out arguments) carries client data: read from an untrusted receiver, or built from untrusted arguments.</summary>
    private string? EvaluateInvocationInputs(IInvocationOperation invocation, Frame? frame)
    {
        var method = invocation.TargetMethod;
        if (ShapeMembers.Contains(method.Name) || IsParse(method))
        {
            return null;
        }

        var receiver = Receiver(invocation);
        if (receiver is not null && Evaluate(receiver, frame) is { } fromReceiver)
        {
            return fromReceiver;
        }

        var containing = FullName(method.ContainingType);
        var propagates = containing is not null
            && (method.IsStatic || method.IsExtensionMethod
                ? PropagatingStaticTypes.Contains(containing)
                : PropagatingInstanceTypes.Contains(containing) || IsDerivedFromPropagatingType(method.ContainingType));
        if (!propagates)
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind != RefKind.Out && !ReferenceEquals(argument.Value, receiver) && Evaluate(argument.Value, frame) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static bool IsDerivedFromPropagatingType(INamedTypeSymbol? type)
    {
        for (var current = type?.BaseType; current is not null; current = current.BaseType)
        {
            if (FullName(current) is { } name && PropagatingInstanceTypes.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local function's result for one call: its return values, with its parameters read as this
    /// call's arguments, so <c>Quote(name)</c> is untrusted and <c>Quote("x")</c> is not.
    /// </summary>
    /// <summary>Namespace-qualified metadata name ('System.String', not 'string').</summary>
    private static string? FullName(INamedTypeSymbol? type)
        => type is null ? null
            : type.ContainingNamespace is null or { IsGlobalNamespace: true } ? type.MetadataName
            : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    private string? EvaluateLocalFunctionResult(IInvocationOperation invocation, Frame? frame)
    {
        var definition = invocation.TargetMethod.OriginalDefinition;
        if (!localFunctions.TryGetValue(definition, out var localFunction))
        {
            return null;
        }

        for (var outer = frame; outer is not null; outer = outer.Caller)
        {
            if (SymbolEqualityComparer.Default.Equals(outer.Function, definition))
            {
                return null;
            }
        }

        var body = (IOperation?)localFunction.Body ?? localFunction.IgnoredBody;
        if (body is null)
        {
            return null;
        }

        var inner = new Frame(definition, invocation.Arguments, frame);
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned }
                && ReferenceEquals(EnclosingFunction(operation), localFunction)
                && Evaluate(returned, inner) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation or IAnonymousFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>int.Parse, Enum.Parse, Guid.TryParse, …: input turned into a value that cannot carry text.</summary>
    private static bool IsParse(IMethodSymbol method)
        => method.Name is "Parse" or "TryParse" or "ParseExact" or "TryParseExact"
            && (method.ContainingType?.SpecialType is not SpecialType.None
                || FullName(method.ContainingType) is "System.Enum" or "System.Guid" or "System.TimeSpan" or "System.DateTimeOffset");

    /// <summary>The instance a call reads from: its receiver, or the first argument of an extension method.</summary>
    internal static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance is IInstanceReferenceOperation ? null : instance;
        }

        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
            ? invocation.Arguments[0].Value
            : null;
    }

    private static IOperation? ConditionalAccessReceiver(IConditionalAccessInstanceOperation instance)
    {
        for (var current = instance.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalAccessOperation access && !access.Operation.DescendantsAndSelf().Contains(instance))
            {
                return access.Operation;
            }
        }

        return null;
    }

    /// <summary>The local, parameter or field of <c>this</c> at the root of a reference chain, if any.</summary>
    private static ISymbol? RootSymbol(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case ILocalReferenceOperation local:
                    return local.Local;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                    return field.Field;
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.IsIndexer: false } property:
                    return property.Property;
                case IDeclarationExpressionOperation declaration:
                    operation = declaration.Expression;
                    continue;
                default:
                    return null;
            }
        }
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol)
        => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

    /// <summary>A local function being evaluated for one call site.</summary>
    private sealed class Frame
    {
        public Frame(IMethodSymbol function, ImmutableArray<IArgumentOperation> arguments, Frame? caller)
        {
            Function = function;
            Arguments = arguments;
            Caller = caller;
        }

        public IMethodSymbol Function { get; }

        public ImmutableArray<IArgumentOperation> Arguments { get; }

        public Frame? Caller { get; }
    }

    private enum EdgeKind
    {
        Value,
        InvocationInputs,
    }

    /// <summary><c>Target</c> holds client data when <c>Value</c> does (or, for out arguments, when the call reads client data).</summary>
    private readonly struct Edge
    {
        public Edge(ISymbol target, IOperation value, EdgeKind kind = EdgeKind.Value)
        {
            Target = target;
            Value = value;
            Kind = kind;
        }

        public ISymbol Target { get; }

        public IOperation Value { get; }

        public EdgeKind Kind { get; }
    }
}
