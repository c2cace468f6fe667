using System.Text.Json;
using Microsoft.JSInterop;

namespace HostedPbx.Web.Components.Forms;

/// <summary>Keeps a form's fields in the browser's local storage (see wwwroot/drafts.js).</summary>
public sealed class FormDraft<T>(IJSRuntime js, string key) where T : class
{
    public async Task<T?> LoadAsync()
    {
        var json = await js.InvokeAsync<string?>("pbxDrafts.load", key);
        return json is null ? null : JsonSerializer.Deserialize<T>(json);
    }

    public ValueTask SaveAsync(T value) => js.InvokeVoidAsync("pbxDrafts.save", key, JsonSerializer.Serialize(value));

    public ValueTask ClearAsync() => js.InvokeVoidAsync("pbxDrafts.clear", key);
}
