package stream

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// nodeWS is a WebSocket subscriber written against the browser API
// (Node's built-in WebSocket, the same client code a web page would run):
// it sends the hello, reads one frame per message and prints what it got.
const nodeWS = `
const ws = new WebSocket(process.argv[1]);
ws.binaryType = "arraybuffer";
let out = {frames: [], samples: 0, sum: 0, markers: [], starts: []};
ws.onopen = () => ws.send(new Uint8Array([0x42,0x43,0x49,0x53, 1, 0x53, 8, 0]));
ws.onmessage = (m) => {
  const v = new DataView(m.data);
  const type = String.fromCharCode(v.getUint8(0)), len = v.getUint32(4, true);
  if (len + 8 !== m.data.byteLength) { out.error = "message is not one frame"; }
  out.frames.push(type);
  if (type === "H") out.header = JSON.parse(new TextDecoder().decode(new Uint8Array(m.data, 8)));
  if (type === "D") {
    const start = Number(v.getBigInt64(8, true)), nch = v.getUint32(24, true), ns = v.getUint32(28, true), nm = v.getUint32(32, true);
    out.starts.push(start);
    let off = 40;
    for (let i = 0; i < nch * ns; i++, off += 8) { out.sum += v.getFloat64(off, true); }
    out.samples += ns;
    for (let k = 0; k < nm; k++) {
      const s = Number(v.getBigInt64(off, true)), code = v.getInt32(off + 8, true), ln = v.getUint16(off + 12, true);
      out.markers.push([s, code, new TextDecoder().decode(new Uint8Array(m.data, off + 14, ln))]);
      off += 14 + ln;
    }
  }
  if (type === "E") { ws.close(); }
};
ws.onclose = () => { console.log(JSON.stringify(out)); };
ws.onerror = (e) => { console.log(JSON.stringify({error: String(e.message || e)})); process.exit(1); };
`

// TestWebSocketInterop subscribes with Node's built-in WebSocket client (a
// browser-grade RFC 6455 implementation) when node is installed.
func TestWebSocketInterop(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	args := []string{"--experimental-websocket", "-e", nodeWS}
	if out, err := exec.Command(node, "--experimental-websocket", "-e", "if (typeof WebSocket !== 'function') process.exit(3)").CombinedOutput(); err != nil {
		t.Skipf("node has no WebSocket: %v %s", err, out)
	}
	src := &memSource{h: testHeader(3), n: 20, ns: 16}
	var want float64
	for k := 0; k < src.n; k++ {
		for _, ch := range testChunk(3, 16, int64(k*16)).Data {
			for _, v := range ch {
				want += v
			}
		}
	}
	ln := listen(t)
	logs := &logBuf{}
	done := make(chan error, 1)
	go func() { done <- (&Server{Logf: logs.logf, WaitFor: 1}).Serve(context.Background(), ln, src) }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append(args, "ws://"+ln.Addr().String()+"/stream")...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got struct {
		Frames  []string `json:"frames"`
		Header  Header   `json:"header"`
		Samples int      `json:"samples"`
		Sum     float64  `json:"sum"`
		Markers [][3]any `json:"markers"`
		Starts  []int64  `json:"starts"`
		Error   string   `json:"error"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output %q: %v", out, err)
	}
	if got.Error != "" {
		t.Fatalf("node: %s", got.Error)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if f := strings.Join(got.Frames, ""); f != "H"+strings.Repeat("D", 20)+"E" {
		t.Errorf("frames %q", f)
	}
	if strings.Join(got.Header.Channels, ",") != strings.Join(src.h.Channels, ",") || got.Header.SFreq != src.h.SFreq {
		t.Errorf("header %+v", got.Header)
	}
	// The sums are taken in the same order on both sides: equal exactly.
	if got.Samples != 320 || got.Sum != want || len(got.Markers) != 40 || got.Markers[0][2] != "T1" {
		t.Errorf("node read %d samples summing to %v (want 320, %v), markers %v", got.Samples, got.Sum, want, got.Markers)
	}
	if logs.has("dropped") {
		t.Errorf("server log: %v", logs.lines)
	}
}
