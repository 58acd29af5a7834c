using System;
using System.Linq;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.Secrets;

internal enum LiteralDestinationKind
{
    /// <summary>Nothing the secret rules know: a plain string.</summary>
    None,

    /// <summary>A secret-named field, property, local, parameter, argument, return or key (MCPSEC101).</summary>
    SecretNamed,

    /// <summary>The fallback of a secret read (MCPSEC102).</summary>
    Fallback,

    /// <summary>The key, IV or password of a security API (MCPSEC103).</summary>
    SecurityApi,
}

internal enum SecretSinkKind
{
    None,
    Field,
    Property,
    Local,
    Parameter,
    ParameterDefault,
    Argument,
    Return,
    Key,
    Collection,
}

/// <summary>Where a literal ends up, found by <see cref="SecretLiteralFlow.Follow"/>.</summary>
internal sealed class LiteralDestination
{
    public static readonly LiteralDestination None = new(LiteralDestinationKind.None, SecretSinkKind.None, null, null, default, null, null, null, null);

    public LiteralDestination(
        LiteralDestinationKind kind,
        SecretSinkKind sinkKind,
        string? name,
        string? verb,
        SecretNameMatch match,
        ISymbol? symbol,
        IOperation? sink,
        SecretFallback? fallback,
        string? api)
    {
        Kind = kind;
        SinkKind = sinkKind;
        Name = name;
        Verb = verb;
        Match = match;
        Symbol = symbol;
        Sink = sink;
        Fallback = fallback;
        Api = api;
    }

    public LiteralDestinationKind Kind { get; }

    public SecretSinkKind SinkKind { get; }

    /// <summary>The name the literal is given to: member, parameter, key, or the API's description.</summary>
    public string? Name { get; }

    /// <summary>How the target gets the value, for the message ("is initialized with").</summary>
    public string? Verb { get; }

    public SecretNameMatch Match { get; }

    /// <summary>The field, property, local, parameter or method that receives the literal.</summary>
    public ISymbol? Symbol { get; }

    /// <summary>The assignment, initializer, argument or return through which the literal arrives.</summary>
    public IOperation? Sink { get; }

    public SecretFallback? Fallback { get; }

    /// <summary>For <see cref="LiteralDestinationKind.SecurityApi"/>: "the 'key' of 'SymmetricSecurityKey'".</summary>
    public string? Api { get; }
}

/// <summary>
/// Follows a literal upwards through the expressions that keep it a literal (conversions,
/// conditionals, <c>??</c>, switch arms, array initializers, <c>Encoding.UTF8.GetBytes</c>) to where
/// it is stored, passed or returned. One walk decides which rule owns a literal, so a literal is
/// reported once: as a secret's fallback (102), as a secret-named value (101), or as key material
/// of a security API (103).
/// </summary>
internal static class SecretLiteralFlow
{
    private static readonly string[] KeyValueMethods =
    {
        "Add", "TryAdd", "Set", "SetValue", "AddOrUpdate", "Create", "SetEnvironmentVariable", "Append", "TryAddWithoutValidation",
    };

    public static LiteralDestination Follow(IOperation start, SecretSymbols symbols, SecretNameOptions names, bool detectFallbacks = true)
    {
        var current = start;
        string? verb = null;
        for (var steps = 0; steps < 32; steps++)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return LiteralDestination.None;

                case IConversionOperation:
                    current = parent;
                    continue;

                case IConditionalOperation conditional when conditional.Type is not null
                    && (conditional.WhenTrue == current || conditional.WhenFalse == current):
                    if (detectFallbacks && SecretFallbacks.ForConditional(conditional, current, symbols, names) is { } conditionalFallback)
                    {
                        return FallbackAt(conditionalFallback);
                    }

                    current = conditional;
                    continue;

                case ICoalesceOperation coalesce:
                    if (detectFallbacks && coalesce.WhenNull == current && SecretFallbacks.ForCoalesce(coalesce, symbols, names) is { } coalesceFallback)
                    {
                        return FallbackAt(coalesceFallback);
                    }

                    current = coalesce;
                    continue;

                case ISwitchExpressionArmOperation arm when arm.Value == current && arm.Parent is { } switchExpression:
                    current = switchExpression;
                    continue;

                case IArrayInitializerOperation:
                    current = parent;
                    continue;

                // Collection expressions (["k1", "k2"]) have no operation kind of their own in Roslyn 4.8.
                case { Syntax: CollectionExpressionSyntax or ExpressionElementSyntax }:
                    current = parent;
                    continue;

                case IArrayCreationOperation creation when creation.Initializer == current:
                    current = parent;
                    continue;

                case IInvocationOperation invocation when invocation.Instance == current:
                    if (!IsTransform(invocation, symbols))
                    {
                        return LiteralDestination.None;
                    }

                    current = invocation;
                    continue;

                case IArgumentOperation argument:
                    if (FollowArgument(argument, symbols, names, detectFallbacks, ref current, ref verb) is { } argumentDestination)
                    {
                        return argumentDestination;
                    }

                    continue;

                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    if (FollowAssignment(assignment, symbols, names, detectFallbacks, ref current, ref verb) is { } assignmentDestination)
                    {
                        return assignmentDestination;
                    }

                    continue;

                case ICoalesceAssignmentOperation coalesceAssignment when coalesceAssignment.Value == current:
                    if (detectFallbacks && SecretFallbacks.ForCoalesceAssignment(coalesceAssignment, symbols, names) is { } assignedFallback)
                    {
                        return FallbackAt(assignedFallback);
                    }

                    return MemberSink(coalesceAssignment.Target, coalesceAssignment, "is assigned", names);

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return Named(SecretSinkKind.Local, declarator.Symbol.Name, verb ?? "is initialized with", declarator.Symbol, parent, names);

                case IFieldInitializerOperation fieldInitializer when fieldInitializer.InitializedFields.Length > 0:
                    var field = fieldInitializer.InitializedFields[0];
                    return Named(SecretSinkKind.Field, field.Name, verb ?? "is initialized with", field, parent, names);

                case IPropertyInitializerOperation propertyInitializer when propertyInitializer.InitializedProperties.Length > 0:
                    var property = propertyInitializer.InitializedProperties[0];
                    return Named(SecretSinkKind.Property, property.Name, verb ?? "is initialized with", property, parent, names);

                case IParameterInitializerOperation parameterInitializer:
                    var parameter = parameterInitializer.Parameter;
                    return Named(SecretSinkKind.ParameterDefault, parameter.Name, "defaults to", parameter, parent, names);

                case IReturnOperation @return when @return.ReturnedValue == current:
                    return FollowReturn(@return, names);

                default:
                    return LiteralDestination.None;
            }
        }

        return LiteralDestination.None;
    }

    /// <summary>A byte, sbyte or char array created from constants only: <c>new byte[] { 1, 2, 3 }</c>.</summary>
    public static bool IsLiteralArray(IOperation operation)
    {
        if (operation is not IArrayCreationOperation { Initializer: { } initializer } creation
            || creation.Type is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char }
            || initializer.ElementValues.Length == 0)
        {
            return false;
        }

        foreach (var element in initializer.ElementValues)
        {
            if (!element.ConstantValue.HasValue)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Calls that turn a literal into other literal-derived data: <c>Encoding.*.GetBytes</c>,
    /// <c>Convert.FromBase64String</c>/<c>FromHexString</c>, <c>ToCharArray</c>, <c>ToArray</c> (of a u8
    /// literal), <c>AsSpan</c>, <c>AsMemory</c>.
    /// </summary>
    public static bool IsTransform(IInvocationOperation invocation, SecretSymbols symbols)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "GetBytes":
                return SecretSymbols.IsOrInherits(method.ContainingType, symbols.Encoding);
            case "FromBase64String" or "FromHexString":
                return SecretSymbols.Is(method.ContainingType, symbols.Convert);
            case "ToCharArray" or "ToArray" or "AsSpan" or "AsMemory":
                return true;
            default:
                return false;
        }
    }

    /// <summary>The data a transform reads: its instance, or its first argument.</summary>
    public static IOperation? TransformInput(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is "GetBytes" or "FromBase64String" or "FromHexString" || invocation.Instance is null)
        {
            return invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        }

        return invocation.Instance;
    }

    /// <summary>
    /// A parameter or property through which a security API receives key material or a password:
    /// key/IV parameters of System.Security.Cryptography and Microsoft.IdentityModel.Tokens, the
    /// password of NetworkCredential, SecureString's characters, the credentials of an Authorization header.
    /// </summary>
    public static string? SecurityApiParameter(IMethodSymbol method, IParameterSymbol? parameter, SecretSymbols symbols)
    {
        if (parameter is null || method.ContainingType is not { } type)
        {
            return null;
        }

        var typeName = type.Name;
        var parameterName = parameter.Name.ToLowerInvariant();
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (ns.StartsWith("System.Security.Cryptography", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.IdentityModel.Tokens", StringComparison.Ordinal))
        {
            return parameterName is "key" or "rgbkey" or "iv" or "rgbiv" or "password" or "keybytes" or "secret"
                ? "the '" + parameter.Name + "' of '" + typeName + (method.MethodKind == MethodKind.Constructor ? string.Empty : "." + method.Name) + "'"
                : null;
        }

        if (SecretSymbols.Is(type, symbols.NetworkCredential))
        {
            return parameterName == "password" ? "the password of 'NetworkCredential'" : null;
        }

        if (SecretSymbols.Is(type, symbols.SecureString))
        {
            return method.Name is "AppendChar" or "InsertAt" or "SetAt" && parameter.Type.SpecialType == SpecialType.System_Char
                ? "the characters of a 'SecureString'"
                : null;
        }

        if (SecretSymbols.Is(type, symbols.AuthenticationHeaderValue))
        {
            return parameterName == "parameter" ? "the credentials of an 'AuthenticationHeaderValue'" : null;
        }

        return null;
    }

    /// <summary>The <c>Key</c> and <c>IV</c> of a symmetric cipher or keyed hash.</summary>
    public static string? SecurityApiProperty(IPropertySymbol property, SecretSymbols symbols)
    {
        if (property.Name is not ("Key" or "IV"))
        {
            return null;
        }

        return SecretSymbols.IsOrInherits(property.ContainingType, symbols.SymmetricAlgorithm)
            || SecretSymbols.IsOrInherits(property.ContainingType, symbols.KeyedHashAlgorithm)
            ? "the '" + property.Name + "' of '" + property.ContainingType.Name + "'"
            : null;
    }

    private static LiteralDestination? FollowArgument(
        IArgumentOperation argument, SecretSymbols symbols, SecretNameOptions names, bool detectFallbacks, ref IOperation current, ref string? verb)
    {
        var parameter = argument.Parameter;
        switch (argument.Parent)
        {
            case IInvocationOperation invocation:
                if (IsTransform(invocation, symbols) && TransformInput(invocation) == argument.Value)
                {
                    current = invocation;
                    return null;
                }

                if (detectFallbacks && SecretFallbacks.ForConfigurationDefault(argument, invocation, symbols, names) is { } configurationFallback)
                {
                    return FallbackAt(configurationFallback);
                }

                if (KeyOf(invocation.TargetMethod, invocation.Arguments, argument) is { } key)
                {
                    return FollowKey(key, SecretOperations.Receiver(invocation), argument, names, ref current, ref verb);
                }

                if (SecurityApiParameter(invocation.TargetMethod, parameter, symbols) is { } api)
                {
                    return new LiteralDestination(LiteralDestinationKind.SecurityApi, SecretSinkKind.Argument, api, null, default, parameter, argument, null, api);
                }

                return ArgumentSink(argument, invocation.TargetMethod, names);

            case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                if (KeyOf(constructor, creation.Arguments, argument) is { } pairKey)
                {
                    return FollowKey(pairKey, null, argument, names, ref current, ref verb);
                }

                if (SecurityApiParameter(constructor, parameter, symbols) is { } ctorApi)
                {
                    return new LiteralDestination(LiteralDestinationKind.SecurityApi, SecretSinkKind.Argument, ctorApi, null, default, parameter, argument, null, ctorApi);
                }

                return ArgumentSink(argument, constructor, names);

            default:
                return LiteralDestination.None;
        }
    }

    /// <summary>
    /// An argument reaches a secret-named parameter when it is written as a named argument
    /// (<c>password: "…"</c>), is an attribute argument, or goes to a method declared in source
    /// (<c>new User("admin", "admin123")</c>). Positional arguments of library methods are left to
    /// the security-API list of MCPSEC103: a parameter called "token" in some library is no evidence.
    /// </summary>
    private static LiteralDestination ArgumentSink(IArgumentOperation argument, IMethodSymbol method, SecretNameOptions names)
    {
        if (argument.Parameter is not { } parameter || argument.ArgumentKind != ArgumentKind.Explicit)
        {
            return LiteralDestination.None;
        }

        var named = argument.Syntax is ArgumentSyntax { NameColon: not null } or AttributeArgumentSyntax { NameColon: not null };
        var inAttribute = argument.Parent?.Parent is IAttributeOperation || argument.Syntax is AttributeArgumentSyntax;
        var inSource = method.Locations.Length > 0 && method.Locations[0].IsInSource;
        if (!named && !inAttribute && !inSource)
        {
            return LiteralDestination.None;
        }

        return Named(SecretSinkKind.Argument, parameter.Name, "receives", parameter, argument, names);
    }

    private static LiteralDestination? FollowAssignment(
        ISimpleAssignmentOperation assignment, SecretSymbols symbols, SecretNameOptions names, bool detectFallbacks, ref IOperation current, ref string? verb)
    {
        if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true } indexer)
        {
            if (indexer.Arguments.Length == 1 && SecretOperations.ConstantString(indexer.Arguments[0].Value) is { } key)
            {
                return FollowKey(SecretReads.ConfigurationKey(indexer.Instance, key, symbols) ?? key, indexer.Instance, assignment, names, ref current, ref verb);
            }

            return LiteralDestination.None;
        }

        if (assignment.Target is IPropertyReferenceOperation property && SecurityApiProperty(property.Property, symbols) is { } api)
        {
            return new LiteralDestination(LiteralDestinationKind.SecurityApi, SecretSinkKind.Property, api, null, default, property.Property, assignment, null, api);
        }

        if (detectFallbacks && SecretFallbacks.ForGuardedAssignment(assignment, symbols, names) is { } guarded)
        {
            return FallbackAt(guarded);
        }

        return MemberSink(assignment.Target, assignment, verb ?? "is assigned", names);
    }

    private static LiteralDestination MemberSink(IOperation target, IOperation sink, string verb, SecretNameOptions names)
        => target switch
        {
            IFieldReferenceOperation field => Named(SecretSinkKind.Field, field.Field.Name, verb, field.Field, sink, names),
            IPropertyReferenceOperation property => Named(SecretSinkKind.Property, property.Property.Name, verb, property.Property, sink, names),
            ILocalReferenceOperation local => Named(SecretSinkKind.Local, local.Local.Name, verb, local.Local, sink, names),
            IParameterReferenceOperation parameter => Named(SecretSinkKind.Parameter, parameter.Parameter.Name, verb, parameter.Parameter, sink, names),
            _ => LiteralDestination.None,
        };

    /// <summary>
    /// A value given under a key: <c>["Jwt:Key"] = "…"</c>, <c>Add("SECRET_KEY", "…")</c>,
    /// <c>new KeyValuePair&lt;string, string?&gt;("Jwt:Key", "…")</c>, <c>SetEnvironmentVariable</c>, a
    /// header. When the key is no secret name (a user name in a mock user store), the collection it
    /// goes into may still be: <c>Passwords = new() { ["admin"] = "admin123" }</c>.
    /// </summary>
    private static LiteralDestination? FollowKey(string key, IOperation? receiver, IOperation sink, SecretNameOptions names, ref IOperation current, ref string? verb)
    {
        var match = SecretNames.IsSecretName(key, names);
        if (match.IsSecret)
        {
            return new LiteralDestination(LiteralDestinationKind.SecretNamed, SecretSinkKind.Key, key, "is set to", match, null, sink, null, null);
        }

        switch (SecretOperations.SkipConversions(receiver))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                for (var node = sink.Parent; node is not null; node = node.Parent)
                {
                    if (node is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation creation })
                    {
                        current = creation;
                        verb = "holds";
                        return null;
                    }
                }

                return LiteralDestination.None;

            case null when sink.Parent is IObjectCreationOperation pair:
                // new KeyValuePair<string, string>("admin", "admin123") inside a collection: follow the pair.
                current = pair;
                verb = "holds";
                return null;

            case { } instance:
                return MemberSink(instance, sink, "holds", names) is { Kind: LiteralDestinationKind.SecretNamed } holder
                    ? holder
                    : LiteralDestination.None;

            default:
                return LiteralDestination.None;
        }
    }

    /// <summary>The constant key that comes just before <paramref name="value"/> in a key/value call.</summary>
    private static string? KeyOf(IMethodSymbol method, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, IArgumentOperation value)
    {
        if (value.Parameter is not { Ordinal: > 0 } parameter)
        {
            return null;
        }

        var isPair = method.MethodKind == MethodKind.Constructor && method.ContainingType is { Name: "KeyValuePair", Arity: 2 };
        if (!isPair && Array.IndexOf(KeyValueMethods, method.Name) < 0)
        {
            return null;
        }

        if ((method.Parameters.Length != parameter.Ordinal + 1 && method.Name != "SetEnvironmentVariable")
            || parameter.Type.SpecialType is not (SpecialType.System_String or SpecialType.System_Object))
        {
            return null;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == parameter.Ordinal - 1
                && argument.Parameter.Type.SpecialType == SpecialType.System_String)
            {
                return SecretOperations.ConstantString(argument.Value);
            }
        }

        return null;
    }

    private static LiteralDestination FollowReturn(IReturnOperation @return, SecretNameOptions names)
    {
        for (var node = @return.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case IAnonymousFunctionOperation:
                    return LiteralDestination.None;
                case ILocalFunctionOperation localFunction:
                    return SecretNames.IsActionName(localFunction.Symbol.Name)
                        ? LiteralDestination.None
                        : Named(SecretSinkKind.Return, localFunction.Symbol.Name, "returns", localFunction.Symbol, @return, names);
            }
        }

        var owner = @return.SemanticModel?.GetEnclosingSymbol(@return.Syntax.SpanStart);
        return owner switch
        {
            IMethodSymbol { AssociatedSymbol: IPropertySymbol property } => Named(SecretSinkKind.Return, property.Name, "returns", property, @return, names),
            // SetPassword, ValidateToken, DotnetSecretsRemove: a status or message, not the secret.
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method when SecretNames.IsActionName(method.Name) => LiteralDestination.None,
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method => Named(SecretSinkKind.Return, method.Name, "returns", method, @return, names),
            _ => LiteralDestination.None,
        };
    }

    private static LiteralDestination Named(SecretSinkKind kind, string name, string verb, ISymbol? symbol, IOperation sink, SecretNameOptions names)
    {
        var match = SecretNames.IsSecretName(name, names);
        if (!match.IsSecret && kind is SecretSinkKind.Field or SecretSinkKind.Property && symbol?.ContainingType is { } type
            && QualifiedByType(name, type.Name, names) is { } qualified)
        {
            // JwtSettings.Key, SigningOptions.Key: "key" is qualified by the settings type's name.
            name = type.Name + "." + name;
            match = qualified;
        }

        return new LiteralDestination(
            match.IsSecret ? LiteralDestinationKind.SecretNamed : LiteralDestinationKind.None,
            kind,
            name,
            verb,
            match,
            symbol,
            sink,
            null,
            null);
    }

    internal static SecretNameMatch? QualifiedByType(string member, string typeName, SecretNameOptions names)
    {
        // Only a bare 'Key': in 'HardcodedSecretFix.EquivalenceKey' the type's words describe something else.
        var words = SecretNames.SplitWords(member);
        if (words.Length != 1 || !SecretNames.WordEquals(words[0], "key"))
        {
            return null;
        }

        // ...of a type that holds settings or key material (JwtSettings, SigningOptions, Jwt), not
        // of code about secrets (SecretFallbackCodeFixTests.Key is a test's equivalence key).
        var typeWords = SecretNames.SplitWords(typeName);
        if (typeWords.Length == 0 || !KeyHolderWords.Any(word => SecretNames.WordEquals(typeWords[typeWords.Length - 1], word)))
        {
            return null;
        }

        var match = SecretNames.IsSecretName(typeName + "_" + member, names);
        return match.IsSecret ? match : null;
    }

    /// <summary>The last word of a type whose bare <c>Key</c> is key material when the type is secret-named.</summary>
    private static readonly string[] KeyHolderWords =
    {
        "settings", "setting", "options", "option", "config", "configuration", "section", "credential", "secret",
        "key", "jwt", "auth", "authentication", "signing", "encryption", "hmac", "api", "token", "parameters",
    };

    private static LiteralDestination FallbackAt(SecretFallback fallback)
        => new(LiteralDestinationKind.Fallback, SecretSinkKind.None, fallback.Name, null, default, null, fallback.Node, fallback, null);
}
