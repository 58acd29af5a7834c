using McpSecurity.Package.Tests.Infrastructure;

namespace McpSecurity.Package.Tests;

/// <summary>
/// Adopting the package in a repository with findings: the installed <c>mcpsec baseline</c> records
/// them, the consumer's build (the package's build files add the baseline as an AdditionalFiles item)
/// then passes, and a finding added afterwards fails it again. The command line and the build must
/// compute the same fingerprints for this to work.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class BaselineTests(PackageFixture fixture)
{
    private const string NewHandler = """
            public void Drop(string path)
            {
                try { File.Delete(path); }
                catch { }
            }

        """;

    [Fact]
    public async Task Build_fails_before_the_baseline_passes_with_it_and_fails_again_on_a_new_finding()
    {
        var tool = await fixture.InstalledTool;
        var consumer = fixture.CreateConsumer("Baselined", new Dictionary<string, string>
        {
            ["MailClient.cs"] = ConsumerSources.BareAndSwallowingHandlers,
        });

        var before = await consumer.BuildAsync();
        Assert.False(before.Succeeded, before.ToString());
        Assert.Equal(3, before.Diagnostics.Count(d => d.IsError && d.Id.StartsWith("MCPSEC", StringComparison.Ordinal)));

        var record = await DotnetCli.RunToolAsync(tool.CommandPath, consumer.Directory, ["baseline", "."]);
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.True(File.Exists(Path.Combine(consumer.Directory, "mcpsec.baseline")), record.ToString());

        var accepted = await consumer.BuildAsync();
        Assert.True(accepted.Succeeded, accepted.ToString());
        Assert.DoesNotContain(accepted.Diagnostics, d => d.Id.StartsWith("MCPSEC", StringComparison.Ordinal));

        // Any file name works through McpSecurityBaseline; the build then finds it by the item's metadata.
        File.Move(Path.Combine(consumer.Directory, "mcpsec.baseline"), Path.Combine(consumer.Directory, "accepted-findings.txt"));
        var renamed = await consumer.BuildAsync("-p:McpSecurityBaseline=accepted-findings.txt");
        Assert.True(renamed.Succeeded, renamed.ToString());
        File.Move(Path.Combine(consumer.Directory, "accepted-findings.txt"), Path.Combine(consumer.Directory, "mcpsec.baseline"));

        // A new handler at the top of the class: every accepted finding moves down, one is new.
        var source = ConsumerSources.BareAndSwallowingHandlers;
        var classOpens = source.IndexOf("public sealed class MailClient", StringComparison.Ordinal);
        var body = source.IndexOf('{', classOpens) + 1;
        File.WriteAllText(Path.Combine(consumer.Directory, "MailClient.cs"), source[..body] + "\n" + NewHandler + source[body..]);

        var after = await consumer.BuildAsync();
        Assert.False(after.Succeeded, after.ToString());
        var error = Assert.Single(after.Diagnostics, d => d.IsError);
        Assert.Equal("MCPSEC201", error.Id);
        Assert.Contains("'Drop'", error.ToString(), StringComparison.Ordinal);

        // McpSecurityBaseline=none turns the baseline off: every finding is back.
        var everything = await consumer.BuildAsync("-p:McpSecurityBaseline=none");
        Assert.Equal(4, everything.Diagnostics.Count(d => d.IsError && d.Id.StartsWith("MCPSEC", StringComparison.Ordinal)));
    }
}
