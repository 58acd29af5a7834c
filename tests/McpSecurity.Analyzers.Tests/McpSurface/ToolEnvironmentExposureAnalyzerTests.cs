using McpSecurity.Analyzers.DataExposure;
using McpSecurity.Analyzers.McpSurface;
using McpSecurity.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.McpSurface.ToolEnvironmentExposureAnalyzer>;

namespace McpSecurity.Analyzers.Tests.McpSurface;

/// <summary>MCPSEC608: the environment or configuration handed to the client through a tool's result.</summary>
public class ToolEnvironmentExposureAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Linq;
        using System.Text;
        using System.Text.Json;
        using Microsoft.Extensions.Configuration;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        """;

    private static Task VerifyTools(string source, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(Usings + source, McpServerStubs.Source, DataExposureStubs.Source);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Exposed(int markup) => new DiagnosticResult(RuleIdentifiers.ToolExposesEnvironment, DiagnosticSeverity.Warning).WithLocation(markup);

    [Fact]
    public Task Flags_the_whole_environment_serialized_into_the_result() => VerifyTools("""
        [McpServerToolType]
        public class PrintEnvTool
        {
            [McpServerTool(Name = "printEnv")]
            public static string PrintEnv() => JsonSerializer.Serialize({|#0:Environment.GetEnvironmentVariables()|});
        }
        """,
        Exposed(0).WithMessageFormat(RuleCatalog.ToolExposesEnvironment.MessageFormat)
            .WithArguments("Environment.GetEnvironmentVariables()", "the whole process environment", "the result of tool 'printEnv'"));

    [Fact]
    public Task Flags_the_environment_copied_entry_by_entry_into_a_builder_or_a_dictionary() => VerifyTools("""
        public static class Tools
        {
            [McpServerTool]
            public static string Dump()
            {
                var text = new StringBuilder();
                foreach (DictionaryEntry entry in {|#0:Environment.GetEnvironmentVariables()|})
                {
                    text.AppendLine($"{entry.Key}={entry.Value}");
                }

                return text.ToString();
            }

            [McpServerTool]
            public static Dictionary<string, string?> Variables()
                => {|#1:Environment.GetEnvironmentVariables()|}.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value?.ToString());
        }
        """, Exposed(0), Exposed(1));

    [Fact]
    public Task Flags_a_variable_or_key_named_by_tool_input() => VerifyTools("""
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public string? GetVariable(string name) => {|#0:Environment.GetEnvironmentVariable(name)|};

            [McpServerTool]
            public string? GetSetting(string key) => {|#1:configuration[key]|};

            [McpServerTool]
            public object Section(string section) => new { Value = {|#2:configuration.GetSection(section).Value|} };

            [McpServerTool]
            public string? Typed(string key) => {|#3:configuration.GetValue<string>(key)|};
        }
        """,
        Exposed(0).WithArguments("Environment.GetEnvironmentVariable(name)", "the environment variable named by tool input 'name'", "the result of tool 'GetVariable'"),
        Exposed(1).WithArguments("configuration[key]", "the configuration value named by tool input 'key'", "the result of tool 'GetSetting'"),
        Exposed(2), Exposed(3));

    [Fact]
    public Task Flags_every_configuration_value_in_a_content_block() => VerifyTools("""
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public CallToolResult Config()
            {
                var lines = {|#0:configuration.AsEnumerable()|}.Select(pair => pair.Key + "=" + pair.Value);
                return new CallToolResult { Content = { new TextContentBlock { Text = string.Join("\n", lines) } } };
            }
        }
        """, Exposed(0));

    [Fact]
    public Task Flags_a_delegate_tool() => VerifyTools("""
        public static class Registration
        {
            public static McpServerTool Env() => McpServerTool.Create((string name) => {|#0:Environment.GetEnvironmentVariable(name)|});
        }
        """, Exposed(0));

    // ---- Traps --------------------------------------------------------------------------------------

    [Fact]
    public Task Ignores_one_constant_non_secret_name_returned_on_purpose() => VerifyTools("""
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public string Info() => $"{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")} {configuration["App:Name"]}";
        }
        """);

    [Fact]
    public Task Ignores_names_from_a_fixed_list_or_looked_up_in_a_trusted_table() => VerifyTools("""
        public sealed class Tools
        {
            private static readonly string[] Listed = { "DOTNET_ENVIRONMENT", "TZ" };
            private static readonly Dictionary<string, string> Shared = new() { ["zone"] = "TZ" };

            [McpServerTool]
            public string Listing()
            {
                var text = new StringBuilder();
                foreach (var name in Listed)
                {
                    text.AppendLine(name + "=" + Environment.GetEnvironmentVariable(name));
                }

                return text.ToString();
            }

            [McpServerTool]
            public string? Get(string key) => Shared.TryGetValue(key, out var variable) ? Environment.GetEnvironmentVariable(variable) : null;
        }
        """);

    [Fact]
    public Task Ignores_reads_that_decide_but_are_not_returned_and_names_only() => VerifyTools("""
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public string IsSet(string name) => Environment.GetEnvironmentVariable(name) is null ? "unset" : "set";

            [McpServerTool]
            public int Count() => Environment.GetEnvironmentVariables().Count;

            [McpServerTool]
            public string Names() => string.Join(",", Environment.GetEnvironmentVariables().Keys.Cast<string>());

            [McpServerTool]
            public string Limit(string key)
            {
                var limit = configuration.GetValue<int>(key);
                return "limit is " + limit;
            }
        }
        """);

    [Fact]
    public Task Ignores_methods_that_are_not_tools_and_logs() => VerifyTools("""
        public sealed class Helpers
        {
            public static string Dump() => JsonSerializer.Serialize(Environment.GetEnvironmentVariables());

            [McpServerTool]
            public static string Run(string name)
            {
                Console.Error.WriteLine(Environment.GetEnvironmentVariable(name));
                return "done";
            }
        }
        """);

    [Fact]
    public Task Leaves_a_secret_named_value_to_MCPSEC504() => VerifyTools("""
        public sealed class Tools(IConfiguration configuration)
        {
            [McpServerTool]
            public string? Key(string name)
            {
                var apiKey = configuration[name];
                return apiKey;
            }
        }
        """);

    [Fact]
    public async Task MCPSEC504_reports_the_secret_named_value_608_leaves_to_it()
    {
        var test = AnalyzerVerifier<DataExposureAnalyzer>.CreateTest(Usings + """
            public sealed class Tools(IConfiguration configuration)
            {
                [McpServerTool]
                public string? Key(string name)
                {
                    var apiKey = configuration[name];
                    return {|MCPSEC504:apiKey|};
                }
            }
            """, McpServerStubs.Source, DataExposureStubs.Source);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        await test.RunAsync();
    }

    [Fact]
    public Task Works_through_aliases_partial_classes_and_the_Values_of_the_environment() => VerifyTools("""
        using Env = System.Environment;

        public partial class Tools
        {
            [McpServerTool]
            public string Get(string name) => {|#0:Env.GetEnvironmentVariable(name)|} ?? "";
        }

        public partial class Tools
        {
            [McpServerTool]
            public string All() => string.Join(";", Env.GetEnvironmentVariables().Keys.Cast<object>().Zip({|#1:Env.GetEnvironmentVariables()|}.Values.Cast<object>()));
        }
        """, Exposed(0), Exposed(1));

    [Fact]
    public async Task Skips_generated_code()
    {
        var test = Verify.CreateTest("// <auto-generated/>\n" + Usings + """
            public static class GeneratedTools
            {
                [McpServerTool]
                public static string Dump() => JsonSerializer.Serialize(Environment.GetEnvironmentVariables());
            }
            """, McpServerStubs.Source, DataExposureStubs.Source);
        test.ReferenceAssemblies = SecretTestReferences.Configuration;
        await test.RunAsync();
    }

    [Fact]
    public Task Partial_code_does_not_throw() => VerifyTools("""
        public sealed class Tools
        {
            [McpServerTool]
            public string Read(string name) => {|CS0103:Unknown|}(Environment.GetEnvironmentVariable(name));
        }
        """);

    [Fact]
    public Task Broken_code_does_not_throw() => Analyzers.Tests.Shared.AnalyzerCrashCheck.NoExceptionsAsync(new ToolEnvironmentExposureAnalyzer(), McpServerStubs.Source, DataExposureStubs.Source, Usings + """
        public sealed class Tools(IConfiguration configuration)
        {
            [ModelContextProtocol.Server.McpServerTool]
            public string Dump(string key)
            {
                foreach (DictionaryEntry e in Environment.GetEnvironmentVariables(
                return configuration[key] + e.Value
            }

            [ModelContextProtocol.Server.McpServerTool]
            public string Self() { var x = x.Value; return x + Environment.GetEnvironmentVariable(; }
        """);
}
