using McpSecurity.Analyzers.PhantomDependencies;
using McpSecurity.Analyzers.Tests.Shared;
using Microsoft.CodeAnalysis.Testing;
using Verify = McpSecurity.TestSupport.AnalyzerVerifier<McpSecurity.Analyzers.PhantomDependencies.LoadByNameAnalyzer>;

namespace McpSecurity.Analyzers.Tests.PhantomDependencies;

/// <summary>MCPSEC301 (guide S3): a load by a constant name that resolves to nothing.</summary>
public class LoadByNameAnalyzerTests
{
    /// <summary>A referenced third-party assembly, as the SDK package would be, with one real type.</summary>
    private const string SdkAssembly = """
        namespace ModelContextProtocol.Server
        {
            public sealed class McpServerTool { }
        }
        """;

    private static Task VerifyWithSdkAsync(string source, params DiagnosticResult[] expected)
    {
        var test = Verify.CreateTest(source);
        test.TestState.AdditionalProjects["ModelContextProtocol"].Sources.Add(("/ModelContextProtocol/Sdk.cs", SdkAssembly));
        test.TestState.AdditionalProjectReferences.Add("ModelContextProtocol");
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task Flags_the_guides_hallucinated_client_as_a_type_name() => VerifyWithSdkAsync("""
        using System;
        public static class ProxyRegistration
        {
            public static object? Register()
            {
                var clientType = Type.GetType({|MCPSEC301:"ModelContextProtocol.Client.McpClient"|}, throwOnError: true)!;
                return Activator.CreateInstance(clientType);
            }
        }
        """);

    [Fact]
    public async Task Message_names_the_call_the_name_and_why()
    {
        await VerifyWithSdkAsync(
            """
            public static class Plugins
            {
                public static object Load() => System.Reflection.Assembly.Load({|#0:"ModelContextProtocol.Client"|});
            }
            """,
            new DiagnosticResult(RuleCatalog.LoadOfMissingTypeOrAssembly).WithLocation(0).WithArguments(
                "'Assembly.Load'", "ModelContextProtocol.Client", "names an assembly that is not referenced; the referenced 'ModelContextProtocol' has no such part"));
    }

    [Fact]
    public Task Flags_types_missing_from_a_referenced_or_the_own_assembly() => VerifyWithSdkAsync("""
        using System;
        using System.Reflection;
        namespace MyServer
        {
            public sealed class WeatherTool { }

            public static class Loader
            {
                public static void Load()
                {
                    _ = Type.GetType({|MCPSEC301:"ModelContextProtocol.Server.McpClientTool, ModelContextProtocol"|});
                    _ = Type.GetType({|MCPSEC301:"ModelContextProtocol.Server.McpServerTool, ModelContextProtocol.Client, Version=1.0.0.0"|});
                    _ = typeof(WeatherTool).Assembly.GetType({|MCPSEC301:"MyServer.WeatherTools"|});
                    _ = Assembly.GetExecutingAssembly().GetType({|MCPSEC301:"MyServer.Tools.Forecast"|});
                    _ = Assembly.Load("ModelContextProtocol").GetType({|MCPSEC301:"ModelContextProtocol.Server.McpClient"|});
                    _ = Activator.CreateInstance({|MCPSEC301:"ModelContextProtocol"|}, "ModelContextProtocol.Server.Missing");
                    _ = AppDomain.CurrentDomain.CreateInstanceAndUnwrap({|MCPSEC301:"ModelContextProtocol"|}, "ModelContextProtocol.Server.Missing");
                }
            }
        }
        """);

    [Fact]
    public Task Flags_loads_in_top_level_statements_with_aliases()
    {
        var test = Verify.CreateTest("""
            using R = System.Reflection.Assembly;
            using T = System.Type;

            _ = T.GetType({|MCPSEC301:"Acme.Mcp.Hallucinated.Client"|});
            const string name = "Acme.Mcp.Other";
            _ = T.GetType({|MCPSEC301:name|}, false, false);
            _ = T.GetType(throwOnError: true, typeName: {|MCPSEC301:"Acme.Mcp.Named"|});
            _ = T.GetType(ignoreCase: true, throwOnError: false, typeName: "Acme.Mcp.AnyCase");
            _ = R.GetExecutingAssembly().GetType({|MCPSEC301:"Program+Missing"|});
            """);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    // ---- Traps ------------------------------------------------------------------------------------

    [Fact]
    public Task Ignores_names_that_exist() => VerifyWithSdkAsync("""
        using System;
        using System.Reflection;
        namespace MyServer
        {
            public sealed class Outer { public sealed class Inner { } }
            public sealed class Box<T> { }

            public static class Loader
            {
                public static void Load()
                {
                    _ = Type.GetType("MyServer.Outer+Inner");
                    _ = Type.GetType("MyServer.Box`1");
                    _ = Type.GetType("System.String");
                    _ = Type.GetType("ModelContextProtocol.Server.McpServerTool, ModelContextProtocol");
                    _ = Type.GetType("System.String, mscorlib");
                    _ = Assembly.Load("ModelContextProtocol");
                    _ = Assembly.Load("ModelContextProtocol, Version=2.3.1.0, Culture=neutral, PublicKeyToken=null");
                    _ = typeof(Outer).Assembly.GetType("MyServer.Outer");
                    _ = Activator.CreateInstance("ModelContextProtocol", "ModelContextProtocol.Server.McpServerTool");
                }
            }
        }
        """);

    [Fact]
    public Task Ignores_framework_parts_and_plug_ins_loaded_by_name_on_purpose() => VerifyWithSdkAsync("""
        using System;
        using System.Reflection;
        public static class Loader
        {
            public static void Load()
            {
                _ = Assembly.Load("System.Windows.Forms");
                _ = Type.GetType("System.Windows.Forms.Form, System.Windows.Forms, Version=4.0.0.0");
                _ = Type.GetType("System.SR");
                _ = typeof(string).Assembly.GetType("System.SR");
                _ = Type.GetType("System.Runtime.CompilerServices.RuntimeHelpers, System.Private.CoreLib");
                _ = Assembly.Load("Acme.Plugins.Weather");
                _ = Assembly.Load("TestProject.Plugins.Weather");
                _ = Type.GetType("Acme.Plugins.Weather.Tool, Acme.Plugins.Weather");
                _ = Assembly.LoadFrom("plugins/Acme.Plugins.Weather.dll");
            }
        }
        """);

    [Fact]
    public Task Ignores_probes_that_expect_the_name_may_not_exist() => Verify.VerifyAsync("""
        using System;
        public static class Platform
        {
            public static bool IsMono => Type.GetType("Mono.Runtime") != null;
            public static bool IsMissing => Type.GetType("Mono.Runtime") is null;
            public static object? Version => Type.GetType("Mono.Runtime")?.GetMethod("GetDisplayName");
            public static Type Fallback => Type.GetType("Acme.Optional.Feature") ?? typeof(object);
        }
        """);

    [Fact]
    public Task Ignores_names_that_are_not_constant_generic_or_looked_up_without_case() => Verify.VerifyAsync("""
        using System;
        public static class Loader
        {
            public static void Load(string configured, bool ignoreCase)
            {
                _ = Type.GetType(configured);
                _ = Type.GetType("Acme.Missing." + configured);
                _ = Type.GetType("Acme.Missing.Type", false, true);
                _ = Type.GetType("Acme.Missing.Type", false, ignoreCase);
                _ = Type.GetType("System.Collections.Generic.List`1[[Acme.Missing, Acme]]");
                _ = Type.GetType("Acme.Missing[]");
                _ = Type.GetType("Acme.Missing.Type", name => null, (assembly, name, ignore) => null);
            }
        }
        """);

    [Fact]
    public Task Ignores_generated_code() => Verify.VerifyAsync("""
        // <auto-generated/>
        public static class Generated
        {
            public static System.Type? Load() => System.Type.GetType("Acme.Generated.Missing");
        }
        """);

    [Fact]
    public Task Does_not_throw_on_code_that_does_not_bind()
        => AnalyzerCrashCheck.NoExceptionsAsync(new LoadByNameAnalyzer(), """
            using System;
            using System.Reflection;
            public static class Broken
            {
                public static void M()
                {
                    _ = Type.GetType(;
                    _ = Type.GetType("", );
                    _ = Type.GetType(",");
                    _ = Type.GetType(" , ");
                    _ = Assembly.Load("");
                    _ = Assembly.Load(Unknown);
                    _ = typeof(Missing).Assembly.GetType("X");
                    _ = Activator.CreateInstance("", "");
                    _ = AppDomain.CurrentDomain.CreateInstance(null, null);
                }
            }
            """);
}
