package lsl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests talk to an outlet with the bytes liblsl 1.16's inlet sends
// and check the exact bytes of the replies. Where each expectation comes
// from in liblsl's source (github.com/sccn/liblsl):
//
//   - request line and headers: data_receiver.cpp, data_thread() ("LSL:streamfeed/"
//     version, uid; Native-Byte-Order, Endian-Performance, Has-IEEE754-Floats,
//     Supports-Subnormals, Value-Size, Data-Protocol-Version, Max-Buffer-Length,
//     Max-Chunk-Length, Hostname, Source-Id, Session-Id, empty line);
//   - response: tcp_server.cpp, client_session::handle_read_feedparams
//     ("LSL/110 200 OK", UID, Byte-Order, Suppress-Subnormals (a bool streamed
//     as 0/1), Data-Protocol-Version, empty line; "LSL/110 404 Not found" for
//     another uid, "505 Version not supported" for a newer major version),
//     then the test patterns 4 and 2;
//   - test patterns: sample.cpp, sample::assign_test_pattern (timestamp
//     123456.789; float32 channel k = ±(k+offset), int16 ±(k+offset+257), ...,
//     negated on odd channels; strings "10", "-11", ...);
//   - sample bytes: sample.cpp, sample::save_streambuf (tag 1 deduced, tag 2 +
//     8-byte timestamp; values in the byte order; strings with a 1-byte length
//     width, then the length, then the bytes);
//   - deduced timestamps: stream_outlet_impl push_chunk (first sample stamped
//     ts - (n-1)/rate, the others DEDUCED_TIMESTAMP);
//   - UDP: udp_server.cpp (shortinfo reply "<query id>\r\n<shortinfo>" to the
//     sender's address and the return port; timedata reply
//     " <wave id> <t0> <t1> <t2>" with 16 significant digits).

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// liblslRequest is the request liblsl's data_receiver sends for a float32
// stream (Endian-Performance as std::floor of its measurement streams it).
func liblslRequest(uid string, valueSize int) string {
	return "LSL:streamfeed/110 " + uid + "\r\n" +
		"Native-Byte-Order: 1234\r\n" +
		"Endian-Performance: 2.1e+07\r\n" +
		"Has-IEEE754-Floats: 1\r\n" +
		"Supports-Subnormals: 1\r\n" +
		"Value-Size: " + strconv.Itoa(valueSize) + "\r\n" +
		"Data-Protocol-Version: 110\r\n" +
		"Max-Buffer-Length: 36000\r\n" +
		"Max-Chunk-Length: 0\r\n" +
		"Hostname: lab-pc\r\n" +
		"Source-Id: amp1\r\n" +
		"Session-Id: default\r\n\r\n"
}

func dialOutlet(t *testing.T, o *Outlet) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(o.Info().V4DataPort))
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

func readN(t *testing.T, r io.Reader, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatalf("reading %d bytes: %v", n, err)
	}
	return b
}

func TestWireFeedFloat32(t *testing.T) {
	cfg := unicastConfig(t)
	o := newTestOutlet(t, cfg, StreamInfo{Name: "wire", Type: "EEG", ChannelCount: 3, NominalSrate: 100, Format: Float32})
	uid := o.Info().UID
	c := dialOutlet(t, o)
	io.WriteString(c, liblslRequest(uid, 4))
	want := "LSL/110 200 OK\r\nUID: " + uid + "\r\nByte-Order: 1234\r\nSuppress-Subnormals: 0\r\nData-Protocol-Version: 110\r\n\r\n"
	if got := string(readN(t, c, len(want))); got != want {
		t.Fatalf("response\n%q\nwant\n%q", got, want)
	}
	// test patterns 4 and 2: tag 2, 123456.789, then 4,-5,6 and 2,-3,4
	wantTP := mustHex("02 c976be9f0c24fe40 000080400000a0c00000c040" + "02 c976be9f0c24fe40 00000040000040c000008040")
	if got := readN(t, c, len(wantTP)); !bytes.Equal(got, wantTP) {
		t.Fatalf("test patterns\n%x\nwant\n%x", got, wantTP)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.WaitForConsumers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// A chunk of two samples whose last is at 1000.26: the first is stamped
	// 1000.25, the second deduced.
	if err := o.PushChunk([][]float64{{1.5, 0}, {-2.5, 0}, {3.5, 1}}, 1000.26); err != nil {
		t.Fatal(err)
	}
	wantS := mustHex("02 0000000000428f40 0000c03f000020c000006040" + "01 00000000 00000000 0000803f")
	got := readN(t, c, len(wantS))
	// 1000.26 - 0.01 is 1000.25 up to rounding: compare the timestamp by value.
	if got[0] != 2 || !bytes.Equal(got[9:], wantS[9:]) {
		t.Fatalf("samples\n%x\nwant\n%x", got, wantS)
	}
	if ts := float64frombytes(got[1:9]); ts < 1000.25-1e-9 || ts > 1000.25+1e-9 {
		t.Fatalf("first timestamp %v, want 1000.25", ts)
	}
}

func float64frombytes(b []byte) float64 {
	d := decoder{f: Double64, nch: 1, order: leOrder}
	v := []float64{0}
	d.decodeValues(v, b)
	return v[0]
}

func TestWireFeedInt16AndString(t *testing.T) {
	cfg := unicastConfig(t)
	o := newTestOutlet(t, cfg, StreamInfo{Name: "wire16", ChannelCount: 3, NominalSrate: 10, Format: Int16})
	c := dialOutlet(t, o)
	io.WriteString(c, liblslRequest(o.Info().UID, 2))
	br := bufio.NewReader(c)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if l == "\r\n" {
			break
		}
	}
	want := mustHex("02 c976be9f0c24fe40 0501fafe0701" + "02 c976be9f0c24fe40 0301fcfe0501")
	if got := readN(t, br, len(want)); !bytes.Equal(got, want) {
		t.Fatalf("int16 test patterns\n%x\nwant\n%x", got, want)
	}

	so := newTestOutlet(t, cfg, StreamInfo{Name: "wirestr", ChannelCount: 2, Format: String})
	c = dialOutlet(t, so)
	io.WriteString(c, liblslRequest(so.Info().UID, 0))
	br = bufio.NewReader(c)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if l == "\r\n" {
			break
		}
	}
	tp := mustHex("02 c976be9f0c24fe40") // then "10", "-11" with 1-byte lengths
	want = append(append(append([]byte{}, tp...), 1, 2, '1', '0', 1, 3, '-', '1', '1'), append(tp, 1, 2, '1', '0', 1, 3, '-', '1', '1')...)
	if got := readN(t, br, len(want)); !bytes.Equal(got, want) {
		t.Fatalf("string test patterns\n%q\nwant\n%q", got, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	so.WaitForConsumers(ctx, 1)
	long := strings.Repeat("x", 300)
	so.PushStrings([]string{"", long}, 1000.25)
	want = append(mustHex("02 0000000000428f40 01 00 04 2c010000"), long...)
	if got := readN(t, br, len(want)); !bytes.Equal(got, want) {
		t.Fatalf("string sample\n%x\nwant\n%x", got, want)
	}
}

func TestWireStatus(t *testing.T) {
	cfg := unicastConfig(t)
	o := newTestOutlet(t, cfg, StreamInfo{Name: "status", ChannelCount: 1, NominalSrate: 10, Format: Float32})
	for _, tc := range []struct{ req, want string }{
		{liblslRequest("not-this-uid", 4), "LSL/110 404 Not found\r\n"},
		{strings.Replace(liblslRequest(o.Info().UID, 4), "streamfeed/110", "streamfeed/210", 1), "LSL/110 505 Version not supported\r\n"},
	} {
		c := dialOutlet(t, o)
		io.WriteString(c, tc.req)
		b, _ := io.ReadAll(c)
		if string(b) != tc.want {
			t.Errorf("got %q, want %q", b, tc.want)
		}
	}
	// fullinfo: the document, desc included, then the connection closes.
	c := dialOutlet(t, o)
	io.WriteString(c, "LSL:fullinfo\r\n")
	b, _ := io.ReadAll(c)
	if !bytes.Equal(b, o.Info().FullInfo()) {
		t.Errorf("fullinfo %q", b)
	}
	// shortinfo over TCP: the document if the query matches, else nothing.
	for q, want := range map[string]string{"name='status'": string(o.Info().ShortInfo()), "name='other'": ""} {
		c := dialOutlet(t, o)
		io.WriteString(c, "LSL:shortinfo\r\n"+q+"\r\n")
		b, _ := io.ReadAll(c)
		if string(b) != want {
			t.Errorf("shortinfo %s: %q", q, b)
		}
	}
}

func TestWireUDP(t *testing.T) {
	cfg := unicastConfig(t)
	o := newTestOutlet(t, cfg, StreamInfo{Name: "udp", Type: "EEG", ChannelCount: 1, NominalSrate: 10, Format: Float32})
	sock, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	port := sock.LocalAddr().(*net.UDPAddr).Port
	svc := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: o.Info().V4ServicePort}
	buf := make([]byte, 65536)
	read := func() (string, error) {
		sock.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, err := sock.Read(buf)
		return string(buf[:n]), err
	}
	// a matching query: "<id>\r\n<shortinfo>"
	sock.WriteToUDP([]byte("LSL:shortinfo\r\ntype='EEG'\r\n"+strconv.Itoa(port)+" 987654321\r\n"), svc)
	got, err := read()
	if err != nil || got != "987654321\r\n"+string(o.Info().ShortInfo()) {
		t.Fatalf("shortinfo reply %q, %v", got, err)
	}
	// no reply to a query that does not match, nor to garbage
	for _, m := range []string{"LSL:shortinfo\r\ntype='Markers'\r\n" + strconv.Itoa(port) + " 1\r\n", "LSL:shortinfo\r\n\r\n", "hello", "LSL:shortinfo\r\n\r\n0 1\r\n", "LSL:shortinfo\r\nname=(\r\n" + strconv.Itoa(port) + " 1\r\n"} {
		sock.WriteToUDP([]byte(m), svc)
		if got, err := read(); err == nil {
			t.Errorf("%q: reply %q", m, got)
		}
	}
	// timedata: " <wave> <t0> <t1> <t2>"
	sock.WriteToUDP([]byte("LSL:timedata\r\n42 100.5\r\n"), svc)
	got, err = read()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(got)
	if got[0] != ' ' || len(f) != 4 || f[0] != "42" || f[1] != "100.5" {
		t.Fatalf("timedata reply %q", got)
	}
	t1, _ := strconv.ParseFloat(f[2], 64)
	t2, _ := strconv.ParseFloat(f[3], 64)
	if now := LocalClock(); !(t1 <= t2 && t2 <= now && now-t1 < 1) {
		t.Fatalf("timedata times %v %v (now %v)", t1, t2, now)
	}
}

// TestInletAgainstHandBuiltOutlet feeds the inlet the bytes a liblsl outlet
// sends, including liblsl's 4-byte string lengths and a big-endian outlet.
func TestInletAgainstHandBuiltOutlet(t *testing.T) {
	for _, tc := range []struct {
		name    string
		order   string
		samples []byte
		wantErr error
	}{
		{"little", "1234", mustHex("02 0000000000428f40 0000c03f" + "01 000020c0"), nil},
		{"big", "4321", mustHex("02 408f420000000000 3fc00000" + "01 c0200000"), nil},
		{"badtag", "1234", mustHex("07 00"), ErrLost},
		{"cut", "1234", mustHex("02 0000000000428f40 0000"), ErrLost},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := StreamInfo{Name: "fake", Type: "EEG", ChannelCount: 1, NominalSrate: 10, Format: Float32, Version: 110, UID: "u-1", V4Address: "127.0.0.1"}
			tp := func(v float32) []byte {
				b := []byte{2}
				if tc.order == "4321" {
					b = append(b, mustHex("40fe240c9fbe76c9")...)
					return append(b, byte(mathFloat32bits(v)>>24), byte(mathFloat32bits(v)>>16), byte(mathFloat32bits(v)>>8), byte(mathFloat32bits(v)))
				}
				b = append(b, mustHex("c976be9f0c24fe40")...)
				u := mathFloat32bits(v)
				return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
			}
			feed := append([]byte("LSL/110 200 OK\r\nUID: u-1\r\nByte-Order: "+tc.order+"\r\nSuppress-Subnormals: 0\r\nData-Protocol-Version: 110\r\n\r\n"), tp(4)...)
			feed = append(append(feed, tp(2)...), tc.samples...)
			info.V4DataPort = fakeOutlet(t, &info, feed, false)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			in, err := OpenInlet(ctx, info, InletOptions{Config: unicastConfig(t), NoRecover: true})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var ts, vs []float64
			for {
				c, err := in.Pull(ctx)
				if err != nil {
					if tc.wantErr == nil && !errors.Is(err, ErrLost) || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
						t.Fatalf("error %v, want %v", err, tc.wantErr)
					}
					break
				}
				ts = append(ts, c.Timestamps...)
				vs = append(vs, c.Data[0]...)
			}
			if tc.wantErr == nil && (len(ts) != 2 || ts[0] != 1000.25 || ts[1] != 1000.35 || vs[0] != 1.5 || vs[1] != -2.5) {
				t.Fatalf("got %v %v", ts, vs)
			}
		})
	}
}

// fakeOutlet serves a full info and then, to a feed request, feed, and
// closes the connection (hold: keeps it open until the test ends); it
// returns its port.
func fakeOutlet(t *testing.T, info *StreamInfo, feed []byte, hold bool) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	info.V4DataPort = ln.Addr().(*net.TCPAddr).Port
	full := info.FullInfo()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				l, _ := br.ReadString('\n')
				if strings.HasPrefix(l, "LSL:fullinfo") {
					c.Write(full)
					return
				}
				for {
					h, err := br.ReadString('\n')
					if err != nil || h == "\r\n" {
						break
					}
				}
				c.Write(feed)
				if hold {
					io.Copy(io.Discard, br)
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

var leOrder = binary.LittleEndian

func mathFloat32bits(v float32) uint32 { return math.Float32bits(v) }

// TestLiblslTCPServerCases replays the cases of liblsl's own unit test of
// its outlet's TCP server (testing/int/tcpserver.cpp, "tcpserver" and
// "tcpserver_float") against this outlet: the same request bytes (a bare
// "\n" after the request line, an empty uid, headers in odd case, version
// 199), the same expected bytes (test patterns, string and float, little-
// and big-endian), and, as there, the connection closes after the test
// patterns when the request sets no Max-Buffer-Length.
func TestLiblslTCPServerCases(t *testing.T) {
	const ts = "\xc9v\xbe\x9f\f$\xfe@"  // TESTPAT_TIMESTAMP
	const str = "\x01\x0210\x01\x03-11" // TESTPAT_STR
	cfg := unicastConfig(t)
	strOut := newTestOutlet(t, cfg, StreamInfo{Name: "TCP_str", ChannelCount: 2, NominalSrate: 4, Format: String, SourceID: "abc123"})
	f32Out := newTestOutlet(t, cfg, StreamInfo{Name: "TCP_f32", ChannelCount: 3, NominalSrate: 4, Format: Float32, SourceID: "abc123"})
	ask := func(o *Outlet, req string) string {
		c := dialOutlet(t, o)
		io.WriteString(c, req)
		b, err := io.ReadAll(c)
		if err != nil {
			t.Fatalf("%q: %v", req, err)
		}
		return string(b)
	}
	body := func(res string) string {
		i := strings.Index(res, "\r\n\r\n")
		if !strings.HasPrefix(res, "LSL/110 200 OK") || i < 0 {
			t.Fatalf("response %q", res)
		}
		return res[i+4:]
	}
	// "basic"
	want := "\x02" + ts + str
	if got := body(ask(strOut, "LSL:streamfeed/110 \n\r\n\r\n")); got != want+want {
		t.Errorf("basic: %q, want %q", got, want+want)
	}
	// "endian" on the string stream
	if res := ask(strOut, "LSL:streamfeed/199 \nNative-byte-order:4321\r\n\r\n"); !strings.Contains(res, "Byte-Order: 4321") {
		t.Errorf("endian (strings): %q", res)
	}
	// "fullinfo"
	if res := ask(strOut, "LSL:fullinfo\r\n"); res != string(strOut.Info().FullInfo()) {
		t.Errorf("fullinfo: %q", res)
	}
	// "suppress-subnormals"
	res := ask(f32Out, "LSL:streamfeed/199 \nsupports-subnormals: 0\r\n\r\n")
	if !strings.Contains(res, "Suppress-Subnormals: 1") {
		t.Errorf("suppress-subnormals: %q", res)
	}
	want = "\x02" + ts + "\x00\x00\x80@" + "\x00\x00\xa0\xc0" + "\x00\x00\xc0@" + "\x02" + ts + "\x00\x00\x00@" + "\x00\x00@\xc0" + "\x00\x00\x80@"
	if got := body(res); got != want {
		t.Errorf("float test patterns %q, want %q", got, want)
	}
	// "endian" on the float stream: big-endian values
	res = ask(f32Out, "LSL:streamfeed/110 \nNative-byte-order:4321\r\n\r\n")
	if !strings.Contains(res, "Byte-Order: 4321") {
		t.Errorf("endian (float): %q", res)
	}
	want = "\x02" + "@\xfe$\f\x9f\xbev\xc9" + "@\x80\x00\x00" + "\xc0\xa0\x00\x00" + "@\xc0\x00\x00" +
		"\x02" + "@\xfe$\f\x9f\xbev\xc9" + "@\x00\x00\x00" + "\xc0@\x00\x00" + "@\x80\x00\x00"
	if got := body(res); got != want {
		t.Errorf("big-endian test patterns %q, want %q", got, want)
	}
}

// TestBigEndianConsumer streams to a consumer that asked for big-endian
// values, and reads them back with the inlet's decoder in that order.
func TestBigEndianConsumer(t *testing.T) {
	cfg := unicastConfig(t)
	for _, f := range []ChannelFormat{Float32, Double64, Int16, Int64, String} {
		o := newTestOutlet(t, cfg, StreamInfo{Name: "be-" + f.String(), ChannelCount: 2, NominalSrate: 10, Format: f})
		c := dialOutlet(t, o)
		vs := 4
		if f == String {
			vs = 0
		} else {
			vs = f.Size()
		}
		io.WriteString(c, strings.Replace(liblslRequest(o.Info().UID, vs), "Native-Byte-Order: 1234", "Native-Byte-Order: 4321", 1))
		br := bufio.NewReader(c)
		info := o.Info()
		dec, err := readFeedHeader(br, info)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// Strings: Value-Size 0, so liblsl leaves the byte order alone.
		if want := map[bool]binary.ByteOrder{true: binary.LittleEndian, false: binary.BigEndian}[f == String]; dec.order != want {
			t.Fatalf("%s: order %v, want %v", f, dec.order, want)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		o.WaitForConsumers(ctx, 1)
		cancel()
		long := strings.Repeat("y", 300)
		if f == String {
			o.PushStrings([]string{"a", long}, 5.5)
		} else {
			o.PushChunk([][]float64{{1, -2}, {3, 4}}, 7)
		}
		vals, strs := make([]float64, 2), make([]string, 2)
		for s := range 2 {
			if f == String && s == 1 {
				break
			}
			ts, err := dec.readSample(br, vals, strs)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			switch {
			case f == String && (ts != 5.5 || strs[0] != "a" || strs[1] != long):
				t.Fatalf("strings %v %q", ts, strs)
			case f != String && s == 0 && (math.Abs(ts-6.9) > 1e-12 || vals[0] != 1 || vals[1] != 3):
				t.Fatalf("%s sample 0: %v %v", f, ts, vals)
			case f != String && s == 1 && (ts != Deduced || vals[0] != -2 || vals[1] != 4):
				t.Fatalf("%s sample 1: %v %v", f, ts, vals)
			}
		}
	}
}
