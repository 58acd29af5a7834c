using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using McpSecurity.Analyzers.Baseline;
using McpSecurity.Analyzers.Secrets;
using McpSecurity.Analyzers.Shared;
using McpSecurity.Analyzers.Shared.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace McpSecurity.Analyzers.ProcessExecution;

/// <summary>
/// Guide S4, how a process is started: MCPSEC401 (a command run through a shell), MCPSEC402 (a
/// command line built from strings), MCPSEC403 (shell execute of a non-constant target) and MCPSEC405
/// (an executable chosen by untrusted MCP input). One analyzer owns the four because they read the
/// same facts about a start — file name, arguments, argument list, shell execute — gathered once per
/// method body over the constructor, initializers, later assignments and <c>ArgumentList.Add</c> calls.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessStartAnalyzer : DiagnosticAnalyzer
{
    private const int MaxEvidenceLength = 40;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleCatalog.CommandRunThroughShell,
        RuleCatalog.CommandLineBuiltFromStrings,
        RuleCatalog.ShellExecuteWithNonConstantTarget,
        RuleCatalog.ExecutableChosenByUntrustedInput);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // A project whose source never names a process API or a start setting can hold no finding: register nothing.
            if ((ProcessEvidence.Of(start.Compilation, start.CancellationToken) & ProcessEvidence.Start) == 0
                || ProcessSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            var sources = UntrustedInputSources.Create(start.Compilation, start.Options);
            var helpers = new CommandLineHelpers(start.Compilation, symbols);
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                // Most bodies never touch a process: gather the starts only where something does.
                var touched = new BlockFlag();
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        if (!touched.IsSet && (TouchesProcess(operation.Operation, symbols) || MayCallHelper(operation.Operation)))
                        {
                            touched.Set();
                        }
                    },
                    OperationKind.Invocation,
                    OperationKind.ObjectCreation,
                    OperationKind.PropertyReference);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (touched.IsSet)
                    {
                        AnalyzeBlock(block, symbols, sources, helpers);
                    }
                });
            });
        });
    }

    private static bool TouchesProcess(IOperation operation, ProcessSymbols symbols)
        => operation switch
        {
            IInvocationOperation invocation => symbols.IsProcessOrStartInfo(invocation.TargetMethod.ContainingType),
            IObjectCreationOperation creation => symbols.IsProcessOrStartInfo(creation.Type),
            IPropertyReferenceOperation property => symbols.IsProcessOrStartInfo(property.Property.ContainingType),
            _ => false,
        };

    /// <summary>A call that may hand a built command line to a method of this compilation (checked precisely at the end of the body).</summary>
    private static bool MayCallHelper(IOperation operation)
        => operation is IInvocationOperation invocation
            && CommandLineHelpers.IsCandidate(invocation.TargetMethod)
            && invocation.Arguments.Any(a => a.Parameter?.Type.SpecialType == SpecialType.System_String
                && !a.Value.ConstantValue.HasValue
                && (IsBuiltFromStrings(a.Value) || SecretOperations.SkipConversions(a.Value) is ILocalReferenceOperation or IParameterReferenceOperation));

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, ProcessSymbols symbols, UntrustedInputSources sources, CommandLineHelpers helpers)
    {
        var launches = ProcessLaunches.Collect(context.OperationBlocks, symbols);
        var helperCalls = context.OperationBlocks
            .SelectMany(block => block.DescendantsAndSelf())
            .OfType<IInvocationOperation>()
            .Where(call => MayCallHelper(call)
                && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, context.OwningSymbol.OriginalDefinition))
            .Select(call => (Call: call, Programs: helpers.Summary(call.TargetMethod).Programs))
            .Where(helper => helper.Programs.Count > 0)
            .ToList();
        if (launches.IsEmpty && helperCalls.Count == 0)
        {
            return;
        }

        var locals = new LocalValues(context.OperationBlocks);
        var model = sources.ForMethod(context.OwningSymbol, context.OperationBlocks, context.CancellationToken);
        var reported = new HashSet<(string, TextSpan)>();

        void Report(DiagnosticDescriptor descriptor, IOperation at, DiagnosticSeverity severity, params object[] arguments)
        {
            if (reported.Add((descriptor.Id, at.Syntax.Span)))
            {
                context.ReportUnlessBaselined(Diagnostic.Create(descriptor, at.Syntax.GetLocation(), severity, null, null, arguments));
            }
        }

        foreach (var launch in launches)
        {
            var shellCommands = ShellFindings.Find(launch, locals);
            foreach (var finding in shellCommands)
            {
                var severity = finding.IsConstant ? DiagnosticSeverity.Info : RuleCatalog.CommandRunThroughShell.DefaultSeverity;
                Report(RuleCatalog.CommandRunThroughShell, finding.ReportOn, severity, finding.Shell.Display, CommandEvidence(finding, model));
            }

            foreach (var arguments in launch.Arguments)
            {
                foreach (var leaf in locals.Alternatives(arguments.Value))
                {
                    if (shellCommands.Any(f => ReferenceEquals(f.ReportOn, leaf) && !f.IsConstant) || leaf.ConstantValue.HasValue)
                    {
                        continue;
                    }

                    var untrusted = model.IsUntrusted(leaf, out var source);
                    if (!untrusted && !IsBuiltFromStrings(leaf))
                    {
                        continue;
                    }

                    var evidence = untrusted
                        ? "'" + source + "' (untrusted MCP input)"
                        : "'" + FirstHoleText(CommandTemplate.From(leaf)) + "'";
                    Report(
                        RuleCatalog.CommandLineBuiltFromStrings,
                        leaf,
                        untrusted ? DiagnosticSeverity.Error : RuleCatalog.CommandLineBuiltFromStrings.DefaultSeverity,
                        ExecutableDisplay(launch, locals),
                        evidence);
                }
            }

            foreach (var useShellExecute in launch.UseShellExecute)
            {
                if (useShellExecute.Value.ConstantValue.Value is true
                    && launch.FileNames.FirstOrDefault(f => !locals.IsConstant(f.Value)) is { } target)
                {
                    Report(RuleCatalog.ShellExecuteWithNonConstantTarget, useShellExecute.Value, RuleCatalog.ShellExecuteWithNonConstantTarget.DefaultSeverity, Shorten(target.Value.Syntax.ToString()));
                }
            }

            foreach (var fileName in launch.FileNames)
            {
                if (model.IsUntrusted(fileName.Value, out var source) && !AllowListGuards.IsGuarded(fileName.Value, locals))
                {
                    Report(RuleCatalog.ExecutableChosenByUntrustedInput, fileName.Value, RuleCatalog.ExecutableChosenByUntrustedInput.DefaultSeverity, Shorten(fileName.Value.Syntax.ToString()), source);
                }
            }
        }

        // Command lines handed to a helper of this compilation that runs them (tool → Executor.Run(string arguments)).
        foreach (var (call, programs) in helperCalls)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is not { } parameter || !programs.TryGetValue(parameter.Ordinal, out var program))
                {
                    continue;
                }

                foreach (var leaf in locals.Alternatives(argument.Value))
                {
                    if (leaf.ConstantValue.HasValue)
                    {
                        continue;
                    }

                    var untrusted = model.IsUntrusted(leaf, out var source);
                    if (!untrusted && !IsBuiltFromStrings(leaf))
                    {
                        continue;
                    }

                    var evidence = (untrusted
                        ? "'" + source + "' (untrusted MCP input)"
                        : "'" + FirstHoleText(CommandTemplate.From(leaf)) + "'")
                        + ", passed to '" + CommandLineHelpers.Name(call.TargetMethod) + "'";
                    Report(
                        RuleCatalog.CommandLineBuiltFromStrings,
                        leaf,
                        untrusted ? DiagnosticSeverity.Error : RuleCatalog.CommandLineBuiltFromStrings.DefaultSeverity,
                        program,
                        evidence);
                }
            }
        }
    }

    /// <summary>Concatenation, interpolation with holes, or string.Format/Join/Concat: a command line assembled from parts.</summary>
    internal static bool IsBuiltFromStrings(IOperation value)
        => SecretOperations.SkipConversions(value) switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } => true,
            IInterpolatedStringOperation interpolated => interpolated.Parts.Any(p => p is not IInterpolatedStringTextOperation),
            IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.SpecialType: SpecialType.System_String, Name: "Format" or "Join" or "Concat" } } => true,
            IInvocationOperation { Instance.Type.Name: "StringBuilder", TargetMethod.Name: "ToString" } => true,
            _ => false,
        };

    private static string CommandEvidence(ShellFinding finding, UntrustedInputModel model)
    {
        if (finding.IsConstant)
        {
            return "the constant command '" + Shorten(finding.Command.ConstantText) + "'";
        }

        foreach (var part in finding.Command.Parts)
        {
            if (ShellFindings.HoleOperation(part) is { } hole && model.IsUntrusted(hole, out var source))
            {
                return "a command built from '" + source + "' (untrusted MCP input)";
            }
        }

        return "a command built from '" + FirstHoleText(finding.Command) + "'";
    }

    private static string FirstHoleText(CommandTemplate template)
    {
        foreach (var part in template.Parts)
        {
            if (ShellFindings.HoleOperation(part) is { } hole)
            {
                return Shorten(hole.Syntax.ToString());
            }
        }

        return "a value";
    }

    internal static string ExecutableDisplay(ProcessLaunch launch, LocalValues locals)
    {
        foreach (var fileName in launch.FileNames)
        {
            var constants = locals.Constants(fileName.Value).Constants;
            if (constants.Count > 0)
            {
                return constants[0];
            }

            return Shorten(fileName.Value.Syntax.ToString());
        }

        return "the process";
    }

    private static string Shorten(string text)
    {
        text = string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return text.Length <= MaxEvidenceLength ? text : text.Substring(0, MaxEvidenceLength - 1) + "…";
    }
}
