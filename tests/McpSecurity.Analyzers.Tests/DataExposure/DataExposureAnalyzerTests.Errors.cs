using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.DataExposure;

/// <summary>MCPSEC502: argument values in exception messages and error reports.</summary>
public partial class DataExposureAnalyzerTests
{
    [Fact]
    public Task Flags_an_arguments_collection_interpolated_into_an_exception_message() => Verify("""
        public class Dispatcher
        {
            public void Dispatch(string tool, IDictionary<string, object?> args)
            {
                if (tool.Length == 0)
                {
                    throw new InvalidOperationException($"failed with {{|#0:args|}}");
                }
            }
        }
        """, null, new DiagnosticResult(RuleCatalog.ArgumentValuesInErrors).WithLocation(0)
            .WithArguments("args", "args", "the message of 'InvalidOperationException'"));

    [Fact]
    public Task Flags_tool_input_in_any_exception_including_McpException_and_ArgumentOutOfRange() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public string Run(string path, string mode)
            {
                if (path.Contains("..")) throw new McpException("bad path " + {|MCPSEC502:path|});
                if (mode.Length > 5) throw new ArgumentOutOfRangeException(nameof(mode), {|MCPSEC502:mode|}, "Unknown mode.");
                var error = new ArgumentException($"Cannot read {{|MCPSEC502:path|}}", nameof(path));
                throw error;
            }
        }
        """);

    [Fact]
    public Task Flags_values_added_to_an_exceptions_Data() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public string Run(string path)
            {
                var error = new InvalidOperationException("Cannot read the file.");
                error.Data["path"] = {|MCPSEC502:path|};
                error.Data.Add("again", {|MCPSEC502:path|});
                throw error;
            }
        }
        """);

    [Fact]
    public Task Flags_the_guides_error_report_wrapper() => Verify("""
        public interface IIssueClient { Task CreateIssueAsync(string title, string body); }

        public sealed class ErrorReports(IIssueClient issues)
        {
            // The guide's report_error(tool_name, kwargs, error): arguments and exception into a public issue.
            public Task ReportErrorAsync(string toolName, IDictionary<string, object?> arguments, Exception error)
                => issues.CreateIssueAsync(
                    $"Tool {toolName} failed: {error.Message}",
                    $"Tool arguments: {{|#0:JsonSerializer.Serialize(arguments)|}}\n{error}");
        }

        public class Tools(ErrorReports reports)
        {
            [McpServerTool]
            public async Task<string> Run(string path)
            {
                try { return await System.IO.File.ReadAllTextAsync(path); }
                catch (Exception ex)
                {
                    await reports.ReportErrorAsync("run", {|#1:new Dictionary<string, object?> { ["path"] = path }|}, ex);
                    throw;
                }
            }
        }
        """, null,
        new DiagnosticResult(RuleCatalog.ArgumentValuesInErrors).WithLocation(0).WithArguments("JsonSerializer.Serialize(arguments)", "arguments", "the error report 'CreateIssueAsync'"),
        new DiagnosticResult(RuleCatalog.ArgumentValuesInErrors).WithLocation(1).WithArguments("new Dictionary<string, object?> { [\"path\"] = path }", "path", "the error report 'ReportErrorAsync'"));

    [Fact]
    public Task Flags_methods_of_error_reporter_types_and_methods_named_by_option() => Verify("""
        namespace MyCompany
        {
            public interface IErrorReporter { void Submit(string summary, object? context); }
            public static class Pager { public static void Page(string text) { } }

            public class Tools(IErrorReporter reporter)
            {
                [McpServerTool]
                public void Run(string input)
                {
                    reporter.Submit("failed", {|MCPSEC502:input|});
                    Pager.Page({|MCPSEC502:input|});
                }
            }
        }
        """, "mcpsec.error_report_methods = +MyCompany.Pager.Page");

    [Fact]
    public Task Ignores_names_keys_and_inner_exceptions_in_errors() => Verify("""
        public interface IProgressReporter { void Report(string message); }

        public class Dispatcher(IProgressReporter progress)
        {
            public void Dispatch(string tool, IDictionary<string, object?> args, Exception cause)
            {
                progress.Report("dispatching " + string.Join(", ", args.Keys));
                if (tool.Length == 0) throw new ArgumentException("A tool name is required.", nameof(tool));
                if (args.Count > 10) throw new InvalidOperationException($"Unknown arguments: {string.Join(", ", args.Keys)}");
                throw new InvalidOperationException("The tool failed.", cause);
            }

            [McpServerTool]
            public void Run(string input, IProgress<string> report) => report.Report(input);
        }
        """);

    // Found in a real MCP server: an argument filter that names the unknown parameter it rejects.
    [Fact]
    public Task Ignores_the_key_of_a_deconstructed_argument_pair_but_not_its_value() => Verify("""
        public static class ArgumentFilter
        {
            public static void Check(RequestContext<CallToolRequestParams> request, IDictionary<string, object?> args)
            {
                foreach (var (name, value) in request.Params!.Arguments!)
                {
                    if (name.Length > 40) throw new ArgumentException($"Unknown parameter '{name}'.");
                    if (value.ValueKind == JsonValueKind.Undefined) throw new ArgumentException($"Bad value {{|MCPSEC502:value|}}");
                }

                foreach ((string key, object? item) in args)
                {
                    if (item is null) throw new InvalidOperationException("Missing " + key);
                }

                foreach (var pair in args)
                {
                    if (pair.Value is null) throw new InvalidOperationException("Missing " + pair.Key + " in " + {|MCPSEC502:pair|});
                }
            }
        }
        """);

    // Found scanning a real MCP server file without its project: 'ConnectionAction' is declared
    // elsewhere, so 'action' has no type the compiler knows, and a rule cannot tell it from an enum.
    [Fact]
    public Task Ignores_tool_parameters_whose_type_did_not_bind() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public string Run({|CS0246:ConnectionAction|} action, string path)
            {
                if (path.Length == 0) throw new ArgumentException($"Unknown action: {action} ({action.ToActionString()})", nameof(action));
                throw new ArgumentException($"Unknown path: {{|MCPSEC502:path|}}");
            }
        }
        """);
}
