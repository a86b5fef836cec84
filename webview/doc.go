// Package webview serves the live view of `bcikit serve`: a page, embedded
// in the binary, with scrolling traces of every channel, a live power
// spectrum, the decoder's latest decisions and probabilities, and latency
// figures, updated by server-sent events.
//
// Every request must carry the server's random token, as the query
// parameter token=… (the URL printed at start has it), as an
// "Authorization: Bearer …" header, or in the HttpOnly cookie the page
// receives when opened with the token (for its own assets and event
// stream); anything else is 401. The server binds
// where its caller's listener does; bcikit serve uses 127.0.0.1.
//
// Data flows in through [Server.SetStream], [Server.Samples] and
// [Server.Decide]; [Server.Run] turns it into one frame per tick, sent to
// every connected page. A slow page does not hold the stream back: frames
// it cannot take are skipped for it.
package webview
