using McpSecurity.Analyzers.Secrets;
using McpSecurity.CodeFixes.Secrets;
using McpSecurity.CodeFixes.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace McpSecurity.CodeFixes.Tests.Secrets;

/// <summary>
/// A secret read in a static initializer runs when the type is first used: without a line in the
/// entry point, a missing variable fails the first tool call (a <c>TypeInitializationException</c>)
/// instead of stopping the server at startup.
/// </summary>
public class StartupCheckFixTests
{
    private const string RunWeather = "System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(WeatherTools).TypeHandle);";
    private const string RunMail = "System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Mail.MailTools).TypeHandle);";

    private const string WeatherTools = """
        using System;

        public static class WeatherTools
        {
            private static readonly string ApiKey = "wx-live-0123456789abcdef";
            private const string ServiceToken = "tok-live-0123456789abcdef";

            public static string Forecast(string city) => city + ApiKey.Length + ServiceToken.Length;
        }
        """;

    private const string MailTools = """
        namespace Mail
        {
            internal sealed class MailTools
            {
                public static string SmtpPassword { get; } = "smtp-live-0123456789abcdef";

                public string Send(string to) => to + SmtpPassword.Length;
            }
        }
        """;

    private const string TopLevelProgram = """
        using System;

        var city = args.Length > 0 ? args[0] : "Oslo";
        Console.WriteLine(WeatherTools.Forecast(city));
        """;

    private const string MainProgram = """
        using System;

        public static class Program
        {
            public static void Main(string[] args)
            {
                Console.WriteLine(WeatherTools.Forecast("Oslo"));
                Console.WriteLine(new Mail.MailTools().Send("a@example.test"));
            }
        }
        """;

    [Fact]
    public async Task The_fix_runs_the_tool_class_initializer_first_thing_in_top_level_statements()
    {
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", WeatherTools), ("Program.cs", TopLevelProgram));

        var fixedSolution = await ApplyFirstAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix(), "Tools.cs");

        var program = await TextAsync(fixedSolution, "Program.cs");
        Assert.Equal("""
            using System;

            // Reads the secrets these types hold now, so a missing one stops startup instead of failing the first call that uses it.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(WeatherTools).TypeHandle);
            var city = args.Length > 0 ? args[0] : "Oslo";
            Console.WriteLine(WeatherTools.Forecast(city));
            """, program);
        Assert.Contains("Environment.GetEnvironmentVariable(\"API_KEY\") ?? throw", await TextAsync(fixedSolution, "Tools.cs"), StringComparison.Ordinal);
        Assert.Empty(await FixRunner.CompilerProblemsAsync(fixedSolution.Projects.Single()));
    }

    [Fact]
    public async Task Fix_All_across_files_adds_one_line_per_type_to_Main_and_compiles()
    {
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", WeatherTools), ("Mail.cs", MailTools), ("Program.cs", MainProgram));

        var fixedSolution = await FixRunner.FixAllAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix());

        var program = await TextAsync(fixedSolution, "Program.cs");
        Assert.Equal(1, Count(program, RunWeather));
        Assert.Equal(1, Count(program, RunMail));
        Assert.True(program.IndexOf(RunMail, StringComparison.Ordinal) < program.IndexOf("Console.WriteLine", StringComparison.Ordinal), program);
        Assert.Equal(1, Count(program, "// Reads the secrets"));
        Assert.DoesNotContain("live-0123456789", await TextAsync(fixedSolution, "Tools.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("live-0123456789", await TextAsync(fixedSolution, "Mail.cs"), StringComparison.Ordinal);
        Assert.Empty(await FixRunner.CompilerProblemsAsync(fixedSolution.Projects.Single()));
    }

    [Fact]
    public async Task The_fixed_program_stops_before_its_host_starts_when_the_variable_is_missing()
    {
        const string tools = """
            public static class WeatherTools
            {
                private static readonly string WeatherStartupTestApiKey = "wx-live-0123456789abcdef";

                public static string Forecast(string city) => city + WeatherStartupTestApiKey.Length;
            }
            """;
        const string program = """
            public static class Program
            {
                public static bool HostStarted;

                public static void Main(string[] args)
                {
                    HostStarted = true;
                    System.Console.WriteLine(WeatherTools.Forecast("Oslo"));
                }
            }
            """;
        Assert.Null(Environment.GetEnvironmentVariable("WEATHER_STARTUP_TEST_API_KEY"));
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", tools), ("Program.cs", program));
        var fixedSolution = await FixRunner.FixAllAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix());
        var compilation = (await fixedSolution.Projects.Single().GetCompilationAsync())!;
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);

        var context = new System.Runtime.Loader.AssemblyLoadContext("startup-check", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image.ToArray()));
            var failure = Assert.Throws<System.Reflection.TargetInvocationException>(() => assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]));

            var missing = Assert.IsType<InvalidOperationException>(Assert.IsType<TypeInitializationException>(failure.InnerException).InnerException);
            Assert.Contains("WEATHER_STARTUP_TEST_API_KEY", missing.Message, StringComparison.Ordinal);
            Assert.False((bool)assembly.GetType("Program")!.GetField("HostStarted")!.GetValue(null)!, "The secret was read only after startup.");
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public async Task A_tool_class_declared_below_the_top_level_statements_is_run_above_them()
    {
        const string program = """
            using System;

            Console.WriteLine(EchoTools.Echo("hi"));

            public static class EchoTools
            {
                public static string EchoApiKey { get; } = "echo-live-0123456789abcdef";

                public static string Echo(string text) => text + EchoApiKey.Length;
            }
            """;
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Program.cs", program));

        var fixedSolution = await FixRunner.FixAllAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix());

        var text = await TextAsync(fixedSolution, "Program.cs");
        Assert.StartsWith("""
            using System;

            // Reads the secrets these types hold now, so a missing one stops startup instead of failing the first call that uses it.
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(EchoTools).TypeHandle);
            Console.WriteLine(EchoTools.Echo("hi"));
            """, text, StringComparison.Ordinal);
        Assert.Contains("Environment.GetEnvironmentVariable(\"ECHO_API_KEY\") ?? throw", text, StringComparison.Ordinal);
        Assert.Empty(await FixRunner.CompilerProblemsAsync(fixedSolution.Projects.Single()));
    }

    [Fact]
    public async Task A_second_fix_of_the_same_type_adds_no_second_line()
    {
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", WeatherTools), ("Program.cs", TopLevelProgram));
        var analyzer = new HardcodedSecretAnalyzer();
        var fix = new HardcodedSecretCodeFix();

        var once = await ApplyFirstAsync(solution, analyzer, fix, "Tools.cs");
        var twice = await ApplyFirstAsync(once, analyzer, fix, "Tools.cs");

        Assert.Equal(1, Count(await TextAsync(once, "Program.cs"), RunWeather));
        Assert.Equal(await TextAsync(once, "Program.cs"), await TextAsync(twice, "Program.cs"));
        Assert.DoesNotContain("live-0123456789", await TextAsync(twice, "Tools.cs"), StringComparison.Ordinal);
        Assert.Empty(await FixRunner.CompilerProblemsAsync(twice.Projects.Single()));
    }

    [Fact]
    public async Task A_later_type_joins_the_existing_lines()
    {
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", WeatherTools), ("Mail.cs", MailTools), ("Program.cs", MainProgram));
        var analyzer = new HardcodedSecretAnalyzer();
        var fix = new HardcodedSecretCodeFix();

        var weather = await ApplyFirstAsync(solution, analyzer, fix, "Tools.cs");
        var mail = await ApplyFirstAsync(weather, analyzer, fix, "Mail.cs");

        var program = await TextAsync(mail, "Program.cs");
        Assert.Contains(RunWeather + "\n        " + RunMail, program.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, Count(program, "// Reads the secrets"));
    }

    [Fact]
    public async Task A_library_has_no_entry_point_and_keeps_its_Main_untouched()
    {
        var solution = await SolutionAsync(OutputKind.DynamicallyLinkedLibrary, ("Tools.cs", WeatherTools), ("Mail.cs", MailTools), ("Program.cs", MainProgram));

        var fixedSolution = await FixRunner.FixAllAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix());

        Assert.Equal(MainProgram, await TextAsync(fixedSolution, "Program.cs"));
        Assert.DoesNotContain("live-0123456789", await TextAsync(fixedSolution, "Tools.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_read_inside_a_method_needs_no_startup_line()
    {
        const string tools = """
            using System;

            public static class WeatherTools
            {
                public static string Forecast(string city)
                {
                    var apiKey = "wx-live-0123456789abcdef";
                    return city + apiKey.Length;
                }
            }
            """;
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", tools), ("Program.cs", TopLevelProgram));

        var fixedSolution = await ApplyFirstAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix(), "Tools.cs");

        Assert.Equal(TopLevelProgram, await TextAsync(fixedSolution, "Program.cs"));
        Assert.DoesNotContain("live-0123456789", await TextAsync(fixedSolution, "Tools.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_the_entry_point_cannot_name_gets_no_line()
    {
        const string tools = """
            using System;

            public static class Outer
            {
                private static class Hidden
                {
                    public static readonly string ApiKey = "wx-live-0123456789abcdef";
                }

                public static int Length => Hidden.ApiKey.Length;
            }
            """;
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", tools), ("Program.cs", "System.Console.WriteLine(Outer.Length);\n"));

        var fixedSolution = await ApplyFirstAsync(solution, new HardcodedSecretAnalyzer(), new HardcodedSecretCodeFix(), "Tools.cs");

        Assert.Equal("System.Console.WriteLine(Outer.Length);\n", await TextAsync(fixedSolution, "Program.cs"));
        Assert.Empty(await FixRunner.CompilerProblemsAsync(fixedSolution.Projects.Single()));
    }

    [Fact]
    public async Task The_fallback_fix_in_a_static_initializer_runs_it_at_startup()
    {
        const string tools = """
            using System;

            public static class WeatherTools
            {
                private static readonly string ApiKey = Environment.GetEnvironmentVariable("WEATHER_API_KEY") ?? "dev-weather-key-0123456789";

                public static string Forecast(string city) => city + ApiKey.Length;
            }
            """;
        var solution = await SolutionAsync(OutputKind.ConsoleApplication, ("Tools.cs", tools), ("Program.cs", TopLevelProgram));

        var fixedSolution = await FixRunner.FixAllAsync(solution, new HardcodedSecretAnalyzer(), new SecretFallbackCodeFix());

        Assert.Equal(1, Count(await TextAsync(fixedSolution, "Program.cs"), RunWeather));
        Assert.Contains("?? throw new InvalidOperationException(", await TextAsync(fixedSolution, "Tools.cs"), StringComparison.Ordinal);
        Assert.Empty(await FixRunner.CompilerProblemsAsync(fixedSolution.Projects.Single()));
    }

    private static async Task<Solution> SolutionAsync(OutputKind outputKind, params (string Name, string Text)[] files)
    {
        var solution = await FixRunner.CreateAsync(files[0].Text, outputKind);
        var project = solution.Projects.Single();
        solution = solution.RemoveDocument(project.DocumentIds.Single());
        foreach (var (name, text) in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(project.Id), name, text, filePath: "/src/" + name);
        }

        return solution;
    }

    /// <summary>The first action on the first diagnostic in <paramref name="file"/>, as the light bulb applies it.</summary>
    private static async Task<Solution> ApplyFirstAsync(Solution solution, Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer analyzer, CodeFixProvider fix, string file)
    {
        var project = solution.Projects.Single();
        var document = project.Documents.Single(d => d.Name == file);
        var diagnostic = (await FixRunner.AnalyzeAsync(project, analyzer))
            .First(d => fix.FixableDiagnosticIds.Contains(d.Id) && d.Location.SourceTree?.FilePath == document.FilePath);
        var action = (await FixRunner.ActionsAsync(document, fix, diagnostic))[0];
        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
        {
            if (operation is ApplyChangesOperation apply)
            {
                return apply.ChangedSolution;
            }
        }

        return solution;
    }

    private static async Task<string> TextAsync(Solution solution, string file)
        => (await solution.Projects.Single().Documents.Single(d => d.Name == file).GetTextAsync()).ToString();

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
