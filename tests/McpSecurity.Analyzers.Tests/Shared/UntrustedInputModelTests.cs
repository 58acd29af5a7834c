using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis.Testing;

namespace McpSecurity.Analyzers.Tests.Shared;

/// <summary>
/// The untrusted-MCP-input model on its own, through <see cref="UntrustedInputProbe"/>: each
/// <c>Sink(x)</c> argument the model flags is a PROBE001 whose message names the source.
/// </summary>
public class UntrustedInputModelTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.IO;
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        """;

    private static Task Verify(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = AnalyzerVerifier<UntrustedInputProbe>.CreateTest(Usings + source, McpServerStubs.Source);
        test.TestState.Sources.Add("static class SinkHolder { public static void Sink(params object?[] values) { } }");
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Source(int markup, string name)
        => new DiagnosticResult(UntrustedInputProbe.Rule).WithLocation(markup).WithArguments(name);

    [Fact]
    public Task Tool_parameters_are_sources_and_named_in_the_result() => Verify("""
        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool, Description("Run")]
            public static void Run(string command, string branch)
            {
                SinkHolder.Sink({|#0:command|});
                SinkHolder.Sink({|#1:"git log " + branch|});
            }
        }
        """, null, Source(0, "command"), Source(1, "branch"));

    [Fact]
    public Task Parameters_of_ordinary_methods_are_not_sources() => Verify("""
        public static class Helpers
        {
            public static void Run(string command) => SinkHolder.Sink(command, "x" + command);
        }
        """);

    [Fact]
    public Task Prompt_and_resource_parameters_are_sources() => Verify("""
        public class Prompts
        {
            [McpServerPrompt] public string Ask(string topic) { SinkHolder.Sink({|PROBE001:topic|}); return topic; }
            [McpServerResource] public string Read(string path) { SinkHolder.Sink({|PROBE001:path|}); return path; }
        }
        """);

    [Fact]
    public Task String_building_carries_input() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public void Run(string dir, string[] names, int count)
            {
                var a = $"ls -la {dir}";
                string b = string.Format("ls {0}", dir);
                var c = string.Join(" ", names);
                var d = string.Concat("cd ", dir, " && ls");
                var e = "template {x}".Replace("{x}", dir);
                var f = dir.Trim().Substring(1).ToLowerInvariant().ToUpper().TrimEnd('/');
                var g = Path.Combine("/srv", dir);
                var h = JsonSerializer.Serialize(new { dir });
                var sb = new StringBuilder("run ");
                sb.Append(dir).Append(' ');
                var i = sb.ToString();
                object boxed = dir;
                var j = boxed.ToString();
                var k = names.Select(n => "-" + n).ToList();
                var l = dir + count;
                SinkHolder.Sink({|PROBE001:a|}, {|PROBE001:b|}, {|PROBE001:c|}, {|PROBE001:d|}, {|PROBE001:e|}, {|PROBE001:f|}, {|PROBE001:g|}, {|PROBE001:h|}, {|PROBE001:i|}, {|PROBE001:j|}, {|PROBE001:k|}, {|PROBE001:l|});
            }
        }
        """);

    [Fact]
    public Task Shapes_names_and_parsed_values_are_trusted() => Verify("""
        public enum Mode { Fast, Slow }
        public class Tools
        {
            private static readonly Dictionary<string, string> Programs = new() { ["git"] = "/usr/bin/git" };

            [McpServerTool]
            public void Run(string name, string number, string mode, string id, string flag, Dictionary<string, string> options, int count)
            {
                SinkHolder.Sink(name.Length, options.Count, options.Keys, string.Join(",", options.Keys), nameof(name), name.GetType().Name);
                SinkHolder.Sink(int.Parse(number), Enum.Parse<Mode>(mode), Enum.Parse(typeof(Mode), mode), Guid.Parse(id), bool.Parse(flag), count);
                int.TryParse(number, out var parsed);
                SinkHolder.Sink(parsed, name == "git", name.Contains("x"), Programs[name], "constant");
                if (Programs.TryGetValue(name, out var program)) SinkHolder.Sink(program);
            }
        }
        """);

    [Fact]
    public Task Injected_parameters_are_not_sources() => Verify("""
        using System.Security.Claims;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol;
        using ModelContextProtocol.Protocol;

        public interface IGitService { string Root { get; } }
        public class GitService { public string Root() => "/srv"; }
        public class Tools
        {
            [McpServerTool]
            public void Run(
                McpServer server, RequestContext<CallToolRequestParams> context, IProgress<ProgressNotificationValue> progress,
                ClaimsPrincipal? user, CancellationToken cancellationToken, IServiceProvider services, ILogger<Tools> logger,
                System.Net.Http.HttpClient http, IGitService git, GitService service, string query)
            {
                SinkHolder.Sink(server, context, context.Server, progress, user, user?.Identity?.Name, services, logger, http, git.Root, service.Root());
                SinkHolder.Sink({|PROBE001:query|});
            }
        }
        """);

    [Fact]
    public Task Data_parameters_of_every_shape_are_sources() => Verify("""
        public record RunRequest(string Command, string[] Args);
        public class Options { public string Path { get; set; } = ""; }
        public struct Point { public string Label; }
        public class Tools
        {
            [McpServerTool]
            public void Run(RunRequest request, Options options, Point point, JsonElement payload, List<string> items, IReadOnlyDictionary<string, string> env, object raw)
            {
                SinkHolder.Sink({|PROBE001:request.Command|}, {|PROBE001:request.Args[0]|}, {|PROBE001:options.Path|}, {|PROBE001:point.Label|});
                SinkHolder.Sink({|PROBE001:payload.GetProperty("cmd").GetString()|}, {|PROBE001:items.First()|}, {|PROBE001:env["HOME"]|}, {|PROBE001:raw|});
            }
        }
        """);

    [Fact]
    public Task Locals_fields_collections_and_out_arguments_carry_input() => Verify("""
        public class Tools
        {
            private string last = "";

            [McpServerTool]
            public void Run(string command, Dictionary<string, string> map)
            {
                string copy;
                copy = command;
                last = copy;
                var list = new List<string>();
                list.Add(command);
                var array = new string[2];
                array[1] = command;
                var fromInitializer = new List<string> { "x", command };
                var tuple = (command, 1);
                var (first, _) = tuple;
                map.TryGetValue("k", out var value);
                foreach (var item in list) { SinkHolder.Sink({|PROBE001:item|}); }
                if ((object)command is string s) SinkHolder.Sink({|PROBE001:s|});
                var chosen = command ?? "default";
                var either = command.Length > 3 ? command : "short";
                SinkHolder.Sink({|PROBE001:copy|}, {|PROBE001:last|}, {|PROBE001:list|}, {|PROBE001:array|}, {|PROBE001:fromInitializer|}, {|PROBE001:first|}, {|PROBE001:value|}, {|PROBE001:chosen|}, {|PROBE001:either|});
            }
        }
        """);

    [Fact]
    public Task Assignments_after_the_use_count_too_flow_insensitively() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public void Run(string command, bool twice)
            {
                var text = "echo";
                for (var i = 0; i < 2; i++)
                {
                    SinkHolder.Sink({|PROBE001:text|});
                    text = command;
                }
            }
        }
        """);

    [Fact]
    public Task Lambdas_and_local_functions_in_the_body_are_followed() => Verify("""
        public class Tools
        {
            [McpServerTool]
            public void Run(string[] paths, string name)
            {
                paths.ToList().ForEach(p => SinkHolder.Sink({|PROBE001:p|}));
                string Quote(string value) => "'" + value + "'";
                SinkHolder.Sink({|PROBE001:Quote(name)|}, Quote("constant"));
                Func<string> later = () => name;
                Task.Run(() => SinkHolder.Sink({|PROBE001:name|}));
            }
        }
        """);

    [Fact]
    public Task Call_tool_request_arguments_are_a_source_in_any_method() => Verify("""
        using ModelContextProtocol.Protocol;

        public static class Handlers
        {
            public static void Handle(RequestContext<CallToolRequestParams> request)
            {
                var arguments = request.Params!.Arguments!;
                var command = arguments["command"].GetString();
                arguments.TryGetValue("dir", out var dir);
                SinkHolder.Sink({|#0:command|}, {|#1:dir.ToString()|}, arguments.Count, string.Join(", ", arguments.Keys), request.Params.Name);
            }
        }
        """, null, Source(0, "CallToolRequestParams.Arguments"), Source(1, "CallToolRequestParams.Arguments"));

    [Fact]
    public Task Lambdas_given_to_McpServerTool_Create_have_source_parameters() => Verify("""
        public static class Registration
        {
            public static McpServerTool Build()
                => McpServerTool.Create((string command, CancellationToken token) =>
                {
                    SinkHolder.Sink({|PROBE001:command|}, token);
                    return command;
                });
        }
        """);

    [Fact]
    public Task Interface_implementations_named_by_option_have_source_parameters() => Verify("""
        namespace MyServer
        {
            public interface IMcpTool { Task<string> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken); }

            public sealed class GitTool : IMcpTool
            {
                public Task<string> ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
                {
                    var branch = arguments.GetProperty("branch").GetString();
                    SinkHolder.Sink({|#0:branch|}, cancellationToken);
                    return Task.FromResult("");
                }

                public void Helper(JsonElement arguments) => SinkHolder.Sink(arguments);
            }

            public sealed class ExplicitTool : IMcpTool
            {
                Task<string> IMcpTool.ExecuteAsync(JsonElement arguments, CancellationToken cancellationToken)
                {
                    SinkHolder.Sink({|#1:arguments|});
                    return Task.FromResult("");
                }
            }
        }
        """, "mcpsec.untrusted_parameters = MyServer.IMcpTool.ExecuteAsync(arguments)", Source(0, "arguments"), Source(1, "arguments"));

    [Fact]
    public Task Base_class_overrides_named_by_option_have_all_data_parameters_as_sources() => Verify("""
        namespace MyServer
        {
            public abstract class ToolBase { public abstract void Execute(string input, CancellationToken token); }

            public sealed class EchoTool : ToolBase
            {
                public override void Execute(string input, CancellationToken token) => SinkHolder.Sink({|PROBE001:input|}, token);
            }
        }
        """, "mcpsec.untrusted_parameters = MyServer.ToolBase.Execute");

    [Fact]
    public Task Command_classes_named_by_option_are_sources_wherever_their_members_are_read() => Verify("""
        namespace MyServer
        {
            public sealed class RunCommand
            {
                public string Program { get; set; } = "";
                public string Arguments { get; set; } = "";
                public void Execute() => SinkHolder.Sink({|#0:Arguments|}, {|#1:this.Program|});
            }

            public static class Dispatcher
            {
                public static void Handle(RunCommand command) => SinkHolder.Sink({|#2:command.Arguments|});
            }
        }
        """,
        "mcpsec.untrusted_parameters = MyServer.RunCommand",
        Source(0, "RunCommand.Arguments"), Source(1, "RunCommand.Program"), Source(2, "RunCommand.Arguments"));

    [Fact]
    public Task Tool_attributes_can_be_added_by_option() => Verify("""
        namespace MyServer
        {
            [AttributeUsage(AttributeTargets.Method)] public sealed class ToolAttribute : Attribute { }

            public class Tools
            {
                [Tool] public void Run(string command) => SinkHolder.Sink({|PROBE001:command|});
                [McpServerTool] public void Other(string command) => SinkHolder.Sink({|PROBE001:command|});
            }
        }
        """, "mcpsec.tool_attributes = +MyServer.ToolAttribute");

    [Fact]
    public Task Injected_types_can_be_added_by_option() => Verify("""
        namespace MyServer
        {
            public record Workspace(string Root);

            public class Tools
            {
                [McpServerTool] public void Run(Workspace workspace, string path) => SinkHolder.Sink(workspace.Root, {|PROBE001:path|});
            }
        }
        """, "mcpsec.injected_parameter_types = +MyServer.Workspace");

    [Fact]
    public Task Unknown_helpers_and_trusted_tables_end_the_taint() => Verify("""
        public class Tools
        {
            private static readonly HashSet<string> Allowed = new() { "git" };

            [McpServerTool]
            public void Run(string name)
            {
                var resolved = Resolve(name);
                var index = Array.IndexOf(new[] { "a" }, name);
                SinkHolder.Sink(resolved, index, Allowed.Contains(name));
            }

            private static string Resolve(string name) => "/usr/bin/git";
        }
        """);

    [Fact]
    public Task Broken_code_does_not_throw() => AnalyzerCrashCheck.NoExceptionsAsync(new UntrustedInputProbe(), Usings + """
        public class Tools
        {
            [McpServerTool]
            public void Run(string command, Undefined thing)
            {
                var x = command + ;
                SinkHolder.Sink(thing.Value, Missing(command), command.);
                foreach (var in command) { }
                var (a, b) = ;
                string Local(string v) => Local(v);
                SinkHolder.Sink(Local(command), [command], command switch { var c => c });
            }
        }
        """, McpServerStubs.Source, "static class SinkHolder { public static void Sink(params object?[] values) { } }");
}
