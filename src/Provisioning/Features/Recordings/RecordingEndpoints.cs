using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.Recordings;

internal static class RecordingEndpoints
{
    /// <summary>
    /// A tenant's recordings: for its compliance officers' personal keys, and for the reseller's and operator's keys only
    /// when the tenant granted listening (docs/roles.md).
    /// </summary>
    public static void MapRecordingsApi(this RouteGroupBuilder tenant)
    {
        var recordings = tenant.MapGroup("/recordings").WithTags("Recordings").WithMetadata(new PersonalKeyRoute());
        recordings.MapGet("/", SearchRecordings.HandleAsync).WithName(nameof(SearchRecordings));
        recordings.MapGet("/{recordingId:guid}/audio", GetRecordingAudio.HandleAsync).WithName(nameof(GetRecordingAudio));
        recordings.MapGet("/{recordingId:guid}/manifest", GetRecordingManifest.HandleAsync).WithName(nameof(GetRecordingManifest));
        recordings.MapPost("/verify", VerifyRecordings.HandleAsync).WithName(nameof(VerifyRecordings));
        recordings.MapPost("/export", ExportRecordings.HandleAsync).WithName(nameof(ExportRecordings));
        var control = tenant.MapGroup("/calls/{callId:guid}/recording").WithTags("Recordings");
        control.MapPost("/pause", ControlRecording.PauseAsync).WithName("PauseRecording");
        control.MapPost("/resume", ControlRecording.ResumeAsync).WithName("ResumeRecording");
        control.MapPost("/start", ControlRecording.StartAsync).WithName("StartRecording");
        control.MapPost("/stop", ControlRecording.StopAsync).WithName("StopRecording");
        var codes = tenant.MapGroup("/recording-feature-codes").WithTags("Recordings");
        codes.MapGet("/", RecordingFeatureCodesSettings.GetAsync).WithName("GetRecordingFeatureCodes");
        codes.MapPut("/", RecordingFeatureCodesSettings.PutAsync).WithName("PutRecordingFeatureCodes");
    }
}
