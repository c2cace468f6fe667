namespace HostedPbx.Switch.Sip.Messages;

/// <summary>Status codes the switch sends, with their RFC 3261 §21 reason phrases.</summary>
public static class SipStatusCodes
{
    public const int Trying = 100;
    public const int Ringing = 180;
    public const int SessionProgress = 183;
    public const int Ok = 200;
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int Forbidden = 403;
    public const int NotFound = 404;
    public const int RequestTimeout = 408;
    public const int UnsupportedMediaType = 415;
    public const int UnsupportedUriScheme = 416;
    public const int BadExtension = 420;
    public const int TemporarilyUnavailable = 480;
    public const int CallOrTransactionDoesNotExist = 481;
    public const int LoopDetected = 482;
    public const int TooManyHops = 483;
    public const int BusyHere = 486;
    public const int RequestTerminated = 487;
    public const int NotAcceptableHere = 488;
    public const int ServerInternalError = 500;
    public const int NotImplemented = 501;
    public const int ServiceUnavailable = 503;
    public const int VersionNotSupported = 505;
    public const int MessageTooLarge = 513;
    public const int Decline = 603;

    public static ReadOnlySpan<byte> GetReasonPhrase(int statusCode) => statusCode switch
    {
        Trying => "Trying"u8,
        Ringing => "Ringing"u8,
        SessionProgress => "Session Progress"u8,
        Ok => "OK"u8,
        BadRequest => "Bad Request"u8,
        Unauthorized => "Unauthorized"u8,
        Forbidden => "Forbidden"u8,
        NotFound => "Not Found"u8,
        RequestTimeout => "Request Timeout"u8,
        UnsupportedMediaType => "Unsupported Media Type"u8,
        UnsupportedUriScheme => "Unsupported URI Scheme"u8,
        BadExtension => "Bad Extension"u8,
        TemporarilyUnavailable => "Temporarily Unavailable"u8,
        CallOrTransactionDoesNotExist => "Call/Transaction Does Not Exist"u8,
        LoopDetected => "Loop Detected"u8,
        TooManyHops => "Too Many Hops"u8,
        BusyHere => "Busy Here"u8,
        RequestTerminated => "Request Terminated"u8,
        NotAcceptableHere => "Not Acceptable Here"u8,
        ServerInternalError => "Server Internal Error"u8,
        NotImplemented => "Not Implemented"u8,
        ServiceUnavailable => "Service Unavailable"u8,
        VersionNotSupported => "Version Not Supported"u8,
        MessageTooLarge => "Message Too Large"u8,
        Decline => "Decline"u8,
        _ => "Unknown"u8,
    };
}
