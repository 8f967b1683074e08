namespace LegacyLonc.Child;

/// <summary>What one entry of a <see cref="RequestBatch"/> asks for: lond's answer, or one the child gives itself.</summary>
public enum RequestKind
{
    /// <summary>A request for lond (<c>encrypt:</c> ones leave as <c>enc:&lt;len&gt;:&lt;hex&gt;</c>).</summary>
    Lond,
    /// <summary>loncnew's <c>reset_retries</c>: answered <c>ok</c> by the child (<see cref="ResetRetriesRequest"/>).</summary>
    ResetRetries,
    /// <summary><c>close_connection_exit</c>: the child exits once every request before it is answered.</summary>
    CloseConnectionExit,
    /// <summary>Not a request: the client sent a line over <see cref="Limits.MaxRequestLine"/>; answered <c>con_lost</c>, then it is disconnected.</summary>
    Oversized,
}
