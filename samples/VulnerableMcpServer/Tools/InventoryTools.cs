using System.ComponentModel;
using System.Net.Http.Headers;
using ModelContextProtocol.Server;

namespace VulnerableMcpServer.Tools;

/// <summary>
/// Stock lookups in the company's inventory service, for the user the MCP client signed in as — done
/// the tempting way: by passing the caller's token on. That token was issued for this MCP server; the
/// inventory service should get one of the server's own (on-behalf-of or token exchange).
/// </summary>
[McpServerToolType]
public sealed class InventoryTools(IHttpContextAccessor httpContextAccessor, IHttpClientFactory httpClientFactory)
{
    [McpServerTool(Name = "inventory_lookup")]
    [Description("Looks up the stock of a product in the inventory service.")]
    public async Task<string> LookupAsync(
        [Description("The product's SKU.")] string sku,
        CancellationToken cancellationToken)
    {
        using var client = httpClientFactory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://inventory.internal.example/api/stock/" + Uri.EscapeDataString(sku));
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(httpContextAccessor.HttpContext!.Request.Headers.Authorization!); // planted: MCPSEC607 token passthrough: the caller's token goes to another service
        using var response = await client.SendAsync(request, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
