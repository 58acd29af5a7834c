using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>The process types, resolved once per compilation.</summary>
internal sealed class ProcessSymbols
{
    private ProcessSymbols(INamedTypeSymbol process, INamedTypeSymbol startInfo)
    {
        Process = process;
        StartInfo = startInfo;
    }

    public INamedTypeSymbol Process { get; }

    public INamedTypeSymbol StartInfo { get; }

    public static ProcessSymbols? Create(Compilation compilation)
    {
        var process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        var startInfo = compilation.GetTypeByMetadataName("System.Diagnostics.ProcessStartInfo");
        return process is null || startInfo is null ? null : new ProcessSymbols(process, startInfo);
    }

    public bool IsProcessOrStartInfo(ITypeSymbol? type)
        => SymbolEqualityComparer.Default.Equals(type, Process) || SymbolEqualityComparer.Default.Equals(type, StartInfo)
            || type.DerivesFrom(Process);
}

/// <summary>One value written to a start setting, and the operation that wrote it (an assignment, a constructor or Start argument, an Add call).</summary>
internal sealed class LaunchValue
{
    public LaunchValue(IOperation value, IOperation writer)
    {
        Value = value;
        Writer = writer;
    }

    public IOperation Value { get; }

    public IOperation Writer { get; }
}

/// <summary>
/// What one process start is made of, gathered over a method body: a <c>Process.Start(file, args)</c>
/// call, or a <c>ProcessStartInfo</c> (or a <c>Process</c>'s <c>StartInfo</c>) with everything written to
/// it — constructor arguments, initializers, later property assignments on the same local, field or
/// <c>process.StartInfo</c>, and <c>ArgumentList.Add</c> calls, in source order.
/// </summary>
internal sealed class ProcessLaunch
{
    public List<LaunchValue> FileNames { get; } = new();

    public List<LaunchValue> Arguments { get; } = new();

    public List<LaunchValue> ArgumentItems { get; } = new();

    /// <summary>Some of the argument list is not known item by item (a list variable, a loop).</summary>
    public bool ArgumentItemsOpaque { get; set; }

    public List<LaunchValue> UseShellExecute { get; } = new();

    /// <summary>The <c>Process.Start(file, …)</c> call this launch is, if it is one.</summary>
    public IInvocationOperation? StartCall { get; set; }

    /// <summary>The <c>new ProcessStartInfo(…)</c> or <c>new Process { … }</c> creations of the instance.</summary>
    public List<IObjectCreationOperation> Creations { get; } = new();

    /// <summary>The locals, parameters and fields that hold the instance.</summary>
    public List<ISymbol> Holders { get; } = new();

    /// <summary><c>Environment.Clear()</c> and <c>Environment.Remove(name)</c> on the instance (or on <c>EnvironmentVariables</c>).</summary>
    public List<IInvocationOperation> EnvironmentPrunes { get; } = new();

    /// <summary>Values written into the child's environment: <c>Environment["X"] = value</c>, <c>Environment.Add("X", value)</c>.</summary>
    public List<LaunchValue> EnvironmentValues { get; } = new();

    /// <summary>Calls, other than <c>Process.Start</c>, that are given the instance (<c>Configure(psi)</c>): they may change it.</summary>
    public List<IInvocationOperation> HandedTo { get; } = new();

    /// <summary>A <c>Process</c> whose <c>StartInfo</c> was assigned something made elsewhere (<c>p.StartInfo = Create()</c>).</summary>
    public bool StartInfoFromElsewhere { get; set; }
}

/// <summary>Collects the <see cref="ProcessLaunch"/>es of a method body; shared by the analyzer and the fixes.</summary>
internal static class ProcessLaunches
{
    public static ImmutableArray<ProcessLaunch> Collect(IEnumerable<IOperation> blocks, ProcessSymbols symbols)
    {
        var collector = new Collector(symbols);
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                collector.Visit(operation);
            }
        }

        return collector.Build();
    }

    private sealed class Collector
    {
        private readonly ProcessSymbols symbols;
        private readonly Dictionary<object, object> parents = new();
        private readonly List<(object Key, Action<ProcessLaunch> Apply, int Position)> facts = new();
        private readonly List<ProcessLaunch> calls = new();

        public Collector(ProcessSymbols symbols) => this.symbols = symbols;

        public void Visit(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    VisitInvocation(invocation);
                    break;
                case IObjectCreationOperation creation when IsStartInfo(creation.Type) || IsProcess(creation.Type):
                    VisitCreation(creation);
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true } indexer } environmentWrite
                    when EnvironmentOf(indexer.Instance) is { } environmentKey:
                    AddFact(environmentKey, launch => launch.EnvironmentValues.Add(new LaunchValue(environmentWrite.Value, environmentWrite)), environmentWrite);
                    break;
                case ISimpleAssignmentOperation assignment:
                    VisitAssignment(assignment);
                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator when symbols.IsProcessOrStartInfo(declarator.Symbol.Type):
                    Alias(declarator.Symbol, initializer.Value);
                    break;
                case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation { Property.Name: "ArgumentList" } list } member
                    when IsStartInfo(list.Property.ContainingType) && KeyOf(list.Instance) is { } key:
                    foreach (var item in member.Initializer.Initializers)
                    {
                        if (item is IInvocationOperation { Arguments.Length: 1 } add)
                        {
                            var value = add.Arguments[0].Value;
                            AddFact(key, launch => launch.ArgumentItems.Add(new LaunchValue(value, add)), add);
                        }
                        else
                        {
                            AddFact(key, launch => launch.ArgumentItemsOpaque = true, item);
                        }
                    }

                    break;
            }
        }

        public ImmutableArray<ProcessLaunch> Build()
        {
            var groups = new Dictionary<object, ProcessLaunch>();
            foreach (var (key, apply, _) in facts.OrderBy(f => f.Position))
            {
                var root = Find(key);
                if (!groups.TryGetValue(root, out var launch))
                {
                    launch = new ProcessLaunch();
                    groups[root] = launch;
                }

                apply(launch);
            }

            foreach (var key in parents.Keys)
            {
                if (groups.TryGetValue(Find(key), out var launch))
                {
                    switch (key)
                    {
                        case IObjectCreationOperation creation when !launch.Creations.Contains(creation):
                            launch.Creations.Add(creation);
                            break;
                        case ISymbol symbol when !launch.Holders.Contains(symbol, SymbolEqualityComparer.Default):
                            launch.Holders.Add(symbol);
                            break;
                    }
                }
            }

            return calls.Concat(groups.Values.Distinct()).ToImmutableArray();
        }

        private void VisitInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Name == "Start" && method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Process))
            {
                if (Argument(invocation, "startInfo") is { } startInfo)
                {
                    // Process.Start(psi): the launch is the instance's; nothing to add.
                    _ = KeyOf(startInfo);
                    return;
                }

                var launch = new ProcessLaunch { StartCall = invocation };
                if (Argument(invocation, "fileName") is { } fileName)
                {
                    launch.FileNames.Add(new LaunchValue(fileName, invocation));
                }

                if (Argument(invocation, "arguments") is { } arguments)
                {
                    AddArguments(launch, arguments, invocation);
                }

                calls.Add(launch);
                return;
            }

            // psi.Environment.Clear(), psi.EnvironmentVariables.Remove("SECRET_KEY"), psi.Environment.Add("X", value)
            if (EnvironmentOf(invocation.Instance) is { } environmentKey)
            {
                switch (method.Name)
                {
                    case "Clear" or "Remove":
                        AddFact(environmentKey, launch => launch.EnvironmentPrunes.Add(invocation), invocation);
                        break;
                    case "Add" or "TryAdd" when invocation.Arguments.Length == 2:
                        var written = invocation.Arguments[1].Value;
                        AddFact(environmentKey, launch => launch.EnvironmentValues.Add(new LaunchValue(written, invocation)), invocation);
                        break;
                }

                return;
            }

            // Configure(psi), psi.Scrub(): a method given the instance may prune its environment.
            foreach (var argument in invocation.Arguments)
            {
                if (symbols.IsProcessOrStartInfo(argument.Value.Type) && KeyOf(argument.Value) is { } handedKey)
                {
                    AddFact(handedKey, launch => launch.HandedTo.Add(invocation), invocation);
                }
            }

            // psi.ArgumentList.Add(x)
            if (method.Name == "Add" && invocation.Arguments.Length == 1
                && invocation.Instance is IPropertyReferenceOperation { Property.Name: "ArgumentList" } list
                && IsStartInfo(list.Property.ContainingType)
                && KeyOf(list.Instance) is { } key)
            {
                var value = invocation.Arguments[0].Value;
                var inLoop = invocation.Syntax.Ancestors().Any(a => a is ForEachStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax);
                AddFact(key, launch =>
                {
                    launch.ArgumentItems.Add(new LaunchValue(value, invocation));
                    launch.ArgumentItemsOpaque |= inLoop;
                }, invocation);
            }
        }

        private void VisitCreation(IObjectCreationOperation creation)
        {
            Union(creation, creation);
            if (!IsStartInfo(creation.Type))
            {
                return;
            }

            foreach (var argument in creation.Arguments)
            {
                switch (argument.Parameter?.Name)
                {
                    case "fileName":
                        AddFact(creation, launch => launch.FileNames.Add(new LaunchValue(argument.Value, creation)), creation);
                        break;
                    case "arguments":
                        AddFact(creation, launch => AddArguments(launch, argument.Value, creation), creation);
                        break;
                }
            }
        }

        private void VisitAssignment(ISimpleAssignmentOperation assignment)
        {
            switch (assignment.Target)
            {
                case IPropertyReferenceOperation { Property: { } property } target when IsStartInfo(property.ContainingType):
                    if (KeyOf(target.Instance) is not { } key)
                    {
                        return;
                    }

                    var value = assignment.Value;
                    switch (property.Name)
                    {
                        case "FileName":
                            AddFact(key, launch => launch.FileNames.Add(new LaunchValue(value, assignment)), assignment);
                            break;
                        case "Arguments":
                            AddFact(key, launch => launch.Arguments.Add(new LaunchValue(value, assignment)), assignment);
                            break;
                        case "UseShellExecute":
                            AddFact(key, launch => launch.UseShellExecute.Add(new LaunchValue(value, assignment)), assignment);
                            break;
                    }

                    break;

                case IPropertyReferenceOperation { Property.Name: "StartInfo" } startInfo when IsProcess(startInfo.Property.ContainingType):
                    // process.StartInfo = psi, new Process { StartInfo = psi }
                    if (KeyOf(startInfo.Instance) is { } processKey)
                    {
                        if (KeyOf(assignment.Value) is { } infoKey)
                        {
                            Union(processKey, infoKey);
                        }
                        else
                        {
                            AddFact(processKey, launch => launch.StartInfoFromElsewhere = true, assignment);
                        }
                    }

                    break;

                case ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation
                    when symbols.IsProcessOrStartInfo(assignment.Target.Type) && SymbolOf(assignment.Target) is { } holder:
                    Alias(holder, assignment.Value);
                    break;
            }
        }

        private void Alias(ISymbol holder, IOperation value)
        {
            if (KeyOf(value) is { } key)
            {
                Union(holder, key);
            }
        }

        private void AddArguments(ProcessLaunch launch, IOperation value, IOperation writer)
        {
            if (value.Type?.SpecialType == SpecialType.System_String)
            {
                launch.Arguments.Add(new LaunchValue(value, writer));
                return;
            }

            // Process.Start(file, IEnumerable<string>) and new ProcessStartInfo(file, IEnumerable<string>).
            var items = ListItems(value);
            if (items is null)
            {
                launch.ArgumentItemsOpaque = true;
                return;
            }

            foreach (var item in items)
            {
                launch.ArgumentItems.Add(new LaunchValue(item, writer));
            }
        }

        /// <summary>The items of <c>new[] { … }</c>, <c>new List&lt;string&gt; { … }</c> or <c>[ … ]</c>; null when not listed in place.</summary>
        private static IEnumerable<IOperation>? ListItems(IOperation value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            switch (value)
            {
                case IArrayCreationOperation { Initializer: { } initializer }:
                    return initializer.ElementValues;
                case IObjectCreationOperation { Arguments.Length: 0, Initializer: { } initializer }
                    when initializer.Initializers.All(i => i is IInvocationOperation { Arguments.Length: 1 }):
                    return initializer.Initializers.Select(i => ((IInvocationOperation)i).Arguments[0].Value);
                case { Kind: OperationKind.None } when value.Syntax is CollectionExpressionSyntax collection
                    && collection.Elements.All(e => e is ExpressionElementSyntax):
                    return value.ChildOperations.Count == collection.Elements.Count ? value.ChildOperations : null;
                default:
                    return null;
            }
        }

        private object? KeyOf(IOperation? instance)
        {
            while (instance is IConversionOperation conversion)
            {
                instance = conversion.Operand;
            }

            switch (instance)
            {
                case IObjectCreationOperation creation when IsStartInfo(creation.Type) || IsProcess(creation.Type):
                    return creation;
                case IPropertyReferenceOperation { Property.Name: "StartInfo" } startInfo when IsProcess(startInfo.Property.ContainingType):
                    return KeyOf(startInfo.Instance);
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } receiver:
                    return InitializedObject(receiver);
                default:
                    return SymbolOf(instance) is { } symbol ? Find(symbol) : null;
            }
        }

        /// <summary>
        /// The instance whose child environment <paramref name="instance"/> is: <c>psi.Environment</c>,
        /// <c>psi.EnvironmentVariables</c>, or the receiver inside <c>Environment = { ["X"] = v }</c>.
        /// </summary>
        private object? EnvironmentOf(IOperation? instance)
        {
            switch (instance)
            {
                case IPropertyReferenceOperation { Property.Name: "Environment" or "EnvironmentVariables" } environment
                    when IsStartInfo(environment.Property.ContainingType):
                    return KeyOf(environment.Instance);
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } receiver:
                    for (var current = receiver.Parent; current is not null; current = current.Parent)
                    {
                        if (current is IObjectOrCollectionInitializerOperation initializer)
                        {
                            return initializer.Parent is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation member }
                                ? EnvironmentOf(member)
                                : null;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        /// <summary>The object an initializer's implicit receiver stands for (nested <c>StartInfo = { … }</c> goes to the Process).</summary>
        private object? InitializedObject(IOperation receiver)
        {
            for (var current = receiver.Parent; current is not null; current = current.Parent)
            {
                if (current is IObjectOrCollectionInitializerOperation initializer)
                {
                    switch (initializer.Parent)
                    {
                        case IObjectCreationOperation creation:
                            return KeyOf(creation);
                        case IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation member }:
                            return KeyOf(member);
                        default:
                            return null;
                    }
                }
            }

            return null;
        }

        private static ISymbol? SymbolOf(IOperation? operation)
            => operation switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } field => field.Field,
                IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }, Property.IsIndexer: false } property => property.Property,
                _ => null,
            };

        private void AddFact(object key, Action<ProcessLaunch> apply, IOperation at)
        {
            Union(key, key);
            facts.Add((key, apply, at.Syntax.SpanStart));
        }

        private object Find(object key)
        {
            if (!parents.TryGetValue(key, out var parent))
            {
                parents[key] = key;
                return key;
            }

            while (!Equals(parent, key))
            {
                var grand = parents[parent];
                parents[key] = grand;
                key = parent;
                parent = grand;
            }

            return key;
        }

        private void Union(object a, object b)
        {
            var rootA = Find(a);
            var rootB = Find(b);
            if (!Equals(rootA, rootB))
            {
                parents[rootA] = rootB;
            }
        }

        private bool IsStartInfo(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, symbols.StartInfo);

        private bool IsProcess(ITypeSymbol? type) => type.DerivesFrom(symbols.Process);
    }

    private static IOperation? Argument(IInvocationOperation invocation, string name)
        => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name && a.ArgumentKind != ArgumentKind.DefaultValue)?.Value;
}
