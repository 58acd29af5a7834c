using McpSecurity.Analyzers.DataExposure;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.DataExposure;

/// <summary>
/// MCPSEC501-504 through <see cref="DataExposureAnalyzer"/>. Sources compile against .NET 8, the real
/// logging abstractions, <see cref="McpServerStubs"/> and <see cref="DataExposureStubs"/>. This part:
/// MCPSEC501, argument values written to logs.
/// </summary>
public partial class DataExposureAnalyzerTests
{
    internal const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Diagnostics;
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        """;

    internal static Task Verify(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = CreateTest(source, editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    internal static McpAnalyzerTest<DataExposureAnalyzer> CreateTest(string source, string? editorConfig = null)
    {
        var test = AnalyzerVerifier<DataExposureAnalyzer>.CreateTest(Usings + source, McpServerStubs.Source, DataExposureStubs.Source);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        return test;
    }

    // ---- The issue's examples ----------------------------------------------------------------------

    [Fact]
    public Task Flags_a_tool_parameter_given_to_LogInformation() => Verify("""
        [McpServerToolType]
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input)
            {
                logger.LogInformation("called with {Input}", {|#0:input|});
                return "ok";
            }
        }
        """, null, new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(0).WithArguments("input", "input", "the log call 'LogInformation'"));

    [Fact]
    public Task Flags_serialized_request_arguments_given_to_LogWarning() => Verify("""
        public static class Handlers
        {
            public static void Handle(RequestContext<CallToolRequestParams> request, ILogger logger)
            {
                logger.LogWarning("args {Args}", {|#0:JsonSerializer.Serialize(request.Params!.Arguments)|});
            }
        }
        """, null, new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(0)
            .WithArguments("JsonSerializer.Serialize(request.Params!.Arguments)", "CallToolRequestParams.Arguments", "the log call 'LogWarning'"));

    // ---- Log sinks ---------------------------------------------------------------------------------

    [Fact]
    public Task Flags_every_ILogger_extension_and_Log_and_BeginScope() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public void Run(string path, string query)
            {
                logger.LogTrace({|MCPSEC501:path|});
                logger.LogDebug($"reading {{|MCPSEC501:path|}}");
                logger.LogError(new Exception("x"), "failed for " + {|MCPSEC501:query|});
                logger.LogCritical(new EventId(3), "q={Query}", {|MCPSEC501:query|});
                logger.Log(LogLevel.Information, "q={Query}", {|MCPSEC501:query|});
                using var scope = logger.BeginScope("scope {Path}", {|MCPSEC501:path|});
                using var dictionaryScope = logger.BeginScope({|MCPSEC501:new Dictionary<string, object> { ["Path"] = path }|});
                logger.Log(LogLevel.Warning, new EventId(1), {|MCPSEC501:query|}, null, (state, error) => state);
            }
        }
        """);

    [Fact]
    public Task Flags_LoggerMessage_Define_delegates_and_LoggerMessage_methods() => Verify("""
        public static partial class Log
        {
            public static readonly Action<ILogger, string, Exception?> Called =
                LoggerMessage.Define<string>(LogLevel.Information, new EventId(1), "Called with {Input}");

            public static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("Tool {Input}");

            [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Failed for {Input}")]
            public static partial void Failed(ILogger logger, string input, Exception error);

            public static partial void Failed(ILogger logger, string input, Exception error) { }
        }

        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public void Run(string input, int count)
            {
                Log.Called(logger, {|MCPSEC501:input|}, null);
                using var scope = Log.Scope(logger, {|MCPSEC501:input.Trim()|});
                Log.Failed(logger, {|MCPSEC501:input|}, new Exception("x"));
                Log.Called(logger, count.ToString(), null);
            }
        }
        """);

    [Fact]
    public Task Flags_Console_Debug_Trace_and_Activity_tags() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public void Run(string input)
            {
                Console.WriteLine({|MCPSEC501:input|});
                Console.Error.WriteLine("input: " + {|MCPSEC501:input|});
                Console.Out.Write({|MCPSEC501:input|});
                Debug.WriteLine({|MCPSEC501:input|});
                Trace.TraceWarning("input {0}", {|MCPSEC501:input|});
                new TraceSource("tools").TraceInformation({|MCPSEC501:input|});
                Activity.Current?.SetTag("tool.input", {|MCPSEC501:input|});
                Activity.Current?.AddBaggage("input", {|MCPSEC501:input|});
            }
        }
        """);

    [Fact]
    public Task Flags_Serilog_style_static_Log_and_ILogger_by_default() => Verify("""
        public class Tools(Serilog.ILogger log)
        {
            [McpServerTool]
            public void Run(string input)
            {
                Serilog.Log.Information("input {Input}", {|MCPSEC501:input|});
                Serilog.Log.Error(new Exception("x"), "input {Input}", {|MCPSEC501:input|});
                log.Information("input {Input}", {|MCPSEC501:input|});
            }
        }
        """);

    [Fact]
    public Task Ignores_a_user_class_named_Log_unless_added_by_option() => Verify("""
        namespace MyCompany
        {
            public static class Log { public static void Info(string message) { } }

            public class Tools
            {
                [McpServerTool]
                public void Run(string input) => Log.Info(input);
            }
        }
        """);

    [Fact]
    public Task Log_sink_types_can_be_added_by_option() => Verify("""
        namespace MyCompany
        {
            public static class AuditLog { public static void Write(string message) { } }

            public class Tools
            {
                [McpServerTool]
                public void Run(string input) => AuditLog.Write({|MCPSEC501:input|});
            }
        }
        """, "mcpsec.log_sink_types = +MyCompany.AuditLog");

    // ---- Sources -----------------------------------------------------------------------------------

    [Fact]
    public Task Flags_arguments_collections_in_any_method() => Verify("""
        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(string tool, IDictionary<string, object?> args, JsonElement arguments, IReadOnlyDictionary<string, string> toolParameters)
            {
                logger.LogInformation("{Tool} {Args}", tool, {|#0:args|});
                logger.LogInformation("path {Path}", {|#1:args["path"]|});
                logger.LogInformation("{Raw}", {|#2:arguments.GetRawText()|});
                logger.LogInformation($"{string.Join(",", {|#3:toolParameters.Values|})}");
                foreach (var pair in args)
                {
                    logger.LogDebug("{Key}={Value}", pair.Key, {|#4:pair.Value|});
                }
            }
        }
        """, null,
        new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(0).WithArguments("args", "args", "the log call 'LogInformation'"),
        new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(1).WithArguments("args[\"path\"]", "args", "the log call 'LogInformation'"),
        new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(2).WithArguments("arguments.GetRawText()", "arguments", "the log call 'LogInformation'"),
        new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(3).WithArguments("toolParameters.Values", "toolParameters", "the log call 'LogInformation'"),
        new DiagnosticResult(RuleCatalog.ArgumentValuesLogged).WithLocation(4).WithArguments("pair.Value", "args", "the log call 'LogDebug'"));

    [Fact]
    public Task Ignores_parameters_named_like_arguments_that_are_not_collections_outside_tools() => Verify("""
        public class Helper(ILogger<Helper> logger)
        {
            public void Run(string args, List<string> arguments, Dictionary<int, string> payload, IDictionary<string, object> settings)
            {
                logger.LogInformation("{A} {B} {C} {D}", args, arguments, payload, settings);
            }
        }
        """);

    [Fact]
    public Task Argument_collection_names_can_be_changed_by_option() => Verify("""
        public class Dispatcher(ILogger<Dispatcher> logger)
        {
            public void Dispatch(IDictionary<string, object?> inputs, IDictionary<string, object?> args)
            {
                logger.LogInformation("{Inputs} {Args}", {|MCPSEC501:inputs|}, args);
            }
        }
        """, "mcpsec.argument_collection_names = inputs");

    [Fact]
    public Task Flags_string_Format_interpolation_concatenation_and_locals() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public void Run(string input, string other)
            {
                var message = "got " + input;
                logger.LogInformation(string.Format("got {0} and {1}", {|MCPSEC501:input|}, "constant"));
                logger.LogInformation($"got {{|MCPSEC501:input.ToUpperInvariant()|}} and {{|MCPSEC501:other|}}");
                logger.LogInformation({|MCPSEC501:message|});
                logger.LogInformation("a" + {|MCPSEC501:other|} + "b");
                logger.LogInformation(string.Concat("x", {|MCPSEC501:other|}));
                logger.LogInformation(other.Length > 3 ? {|MCPSEC501:other|} : "short");
            }
        }
        """);

    [Fact]
    public Task Flags_inside_lambdas_and_local_functions_of_a_tool() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public async Task Run(string[] paths, string name)
            {
                paths.ToList().ForEach(p => logger.LogDebug("path {Path}", {|MCPSEC501:p|}));
                void Report(string value) => logger.LogDebug("value {Value}", {|MCPSEC501:value|});
                Report(name);
                await Task.Run(() => logger.LogDebug("name {Name}", {|MCPSEC501:name|}));
            }
        }
        """);

    [Fact]
    public Task Flags_delegate_tools_given_to_McpServerTool_Create() => Verify("""
        public static class Registration
        {
            public static McpServerTool Build(ILogger logger)
                => McpServerTool.Create((string command) =>
                {
                    logger.LogInformation("command {Command}", {|MCPSEC501:command|});
                    return "ok";
                });
        }
        """);

    // ---- Traps -------------------------------------------------------------------------------------

    [Fact]
    public Task Ignores_keys_counts_names_and_parsed_values() => Verify("""
        public enum Mode { Fast, Slow }
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public void Run(string input, string number, string mode, string id, Dictionary<string, string> options, JsonElement arguments, int count, bool verbose)
            {
                logger.LogInformation("keys {Keys}", string.Join(", ", options.Keys));
                logger.LogInformation("keys {Keys}", options.Keys);
                logger.LogInformation("keys {Keys}", string.Join(", ", options.Select(o => o.Key)));
                logger.LogInformation("keys {Keys}", options.Keys.OrderBy(k => k).ToList());
                logger.LogInformation("names {Names}", string.Join(", ", arguments.EnumerateObject().Select(p => p.Name)));
                logger.LogInformation("count {Count} {Length}", options.Count, input.Length);
                logger.LogInformation("param {Name}", nameof(input));
                logger.LogInformation("parsed {N} {Mode} {Id}", int.Parse(number), Enum.Parse<Mode>(mode), Guid.Parse(id));
                logger.LogInformation("flags {Count} {Verbose}", count, verbose);
                foreach (var pair in options)
                {
                    var key = pair.Key;
                    logger.LogDebug("key {Key}", pair.Key);
                    logger.LogDebug("key {Key}", key);
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_constant_messages_and_the_exception_argument() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input)
            {
                try
                {
                    return input.Trim();
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Run failed");
                    logger.LogError(ex, "Run failed: {Message}", ex.Message);
                    Serilog.Log.Error(ex, "Run failed");
                    return "failed";
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_parameters_of_ordinary_methods() => Verify("""
        public class Service(ILogger<Service> logger)
        {
            public void Run(string input) => logger.LogInformation("input {Input}", input);
        }
        """);

    [Fact]
    public Task Ignores_values_passed_through_a_helper() => Verify("""
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public void Run(string input) => logger.LogInformation("input {Input}", Redact(input));

            private static string Redact(string value) => new string('*', value.Length);
        }
        """);

    [Fact]
    public Task Ignores_generated_code()
    {
        var test = CreateTest("public class Placeholder { }");
        test.TestState.Sources.Add(("/0/Tools.g.cs", "// <auto-generated/>\n" + Usings + """
            public class Tools(ILogger<Tools> logger)
            {
                [McpServerTool]
                public void Run(string input) => logger.LogInformation("input {Input}", input);
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Broken_code_does_not_throw() => Shared.AnalyzerCrashCheck.NoExceptionsAsync(new DataExposureAnalyzer(), Usings + """
        public class Tools(ILogger<Tools> logger)
        {
            [McpServerTool]
            public string Run(string input, Undefined thing, IDictionary<string, object> args)
            {
                logger.LogInformation("x {X}", input + );
                logger.LogInformation(thing.Value, Missing(input), input.);
                Console.WriteLine($"{args} {");
                throw new InvalidOperationException($"failed {args}"
                try { } catch (Exception ex) { return ex.; }
                return Results.Problem(detail: ex.Message);
                Log.Called(logger, input);
                new UnknownException(input);
            }
        }
        """, McpServerStubs.Source, DataExposureStubs.Source);
}
