using HostedPbx.Data.Voicemail;

namespace HostedPbx.Provisioning.Features.Voicemail;

internal static class VoicemailEndpoints
{
    public static void MapVoicemailApi(this RouteGroupBuilder tenant)
    {
        var extension = tenant.MapGroup("/extensions/{extensionId:guid}").WithTags("Voicemail");
        extension.MapGet("/voicemail", ListVoicemail.HandleAsync).WithName(nameof(ListVoicemail));
        extension.MapDelete("/voicemail/{messageId:guid}", DeleteVoicemail.HandleAsync).WithName(nameof(DeleteVoicemail));
        extension.MapGet("/voicemail/{messageId:guid}/audio", GetVoicemailAudio.HandleAsync).WithName(nameof(GetVoicemailAudio))
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav").Produces(StatusCodes.Status206PartialContent, contentType: "audio/wav");
        extension.MapGet("/voicemail-settings", GetVoicemailSettings.HandleAsync).WithName(nameof(GetVoicemailSettings));
        extension.MapPut("/voicemail-settings", UpdateVoicemailSettings.HandleAsync).WithName(nameof(UpdateVoicemailSettings));
        // The body is the WAV file itself. No content-type constraint on the route: it would answer 415 before the tenant
        // wall answers 404. Room above the greeting's own limit, so an upload that is too large gets the problem naming the field.
        extension.MapPut("/voicemail-settings/greetings/{kind}", UploadGreeting.HandleAsync).WithName(nameof(UploadGreeting))
            .WithDescription("The request body is the greeting as a WAV file (audio/wav): PCM or float, 8 to 192 kHz, any channels, at most 60 s.")
            .WithMetadata(new BodySizeLimit.Allow(2 * GreetingUpload.MaxBytes));
        extension.MapDelete("/voicemail-settings/greetings/{kind}", DeleteGreeting.HandleAsync).WithName(nameof(DeleteGreeting));
    }
}
