package dataset_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/dataset"
)

// physionet is a fake PhysioNet: it serves SHA256SUMS.txt and the EDF
// files of a few subjects, with range requests, and can misbehave.
type physionet struct {
	mu    sync.Mutex
	files map[string][]byte // "S001/S001R04.edf" → content
	sums  map[string]string // overrides of the published hashes
	// cut lists files whose next response is cut after half the bytes.
	cut map[string]bool
	// fail lists files whose next response is this status.
	fail map[string]int
	// noRange makes the server ignore Range headers.
	noRange bool
	// block, if set, makes responses stop after half the bytes and wait
	// for the request to be cancelled; sent is closed when they do.
	block bool
	sent  chan struct{}
	// log records "path range" per request.
	log []string
}

func newPhysionet(t *testing.T, subjects []int, runs []int) (*physionet, *httptest.Server) {
	t.Helper()
	p := &physionet{files: map[string][]byte{}, sums: map[string]string{}, cut: map[string]bool{}, fail: map[string]int{}}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range subjects {
		for _, r := range runs {
			b := make([]byte, 200_000+rng.IntN(1000))
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			p.files[fmt.Sprintf("S%03d/S%03dR%02d.edf", s, s, r)] = b
		}
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

func (p *physionet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	p.mu.Lock()
	p.log = append(p.log, name+" "+r.Header.Get("Range"))
	if name == "SHA256SUMS.txt" {
		var b strings.Builder
		for n, c := range p.files {
			h := sha256.Sum256(c)
			sum := hex.EncodeToString(h[:])
			if s, ok := p.sums[n]; ok {
				sum = s
			}
			fmt.Fprintf(&b, "%s  %s\n", sum, n)
		}
		p.mu.Unlock()
		w.Write([]byte(b.String()))
		return
	}
	content, ok := p.files[name]
	code := p.fail[name]
	delete(p.fail, name)
	cut := p.cut[name]
	delete(p.cut, name)
	noRange, block := p.noRange, p.block
	p.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if code != 0 {
		http.Error(w, http.StatusText(code), code)
		return
	}
	start := 0
	if rg := r.Header.Get("Range"); rg != "" && !noRange {
		fmt.Sscanf(rg, "bytes=%d-", &start)
		if start >= len(content) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(content)-1, len(content)))
		w.Header().Set("Content-Length", fmt.Sprint(len(content)-start))
		w.WriteHeader(http.StatusPartialContent)
	} else {
		w.Header().Set("Content-Length", fmt.Sprint(len(content)))
	}
	body := content[start:]
	if cut || block {
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		if block {
			close(p.sent)
			<-r.Context().Done()
		}
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	w.Write(body)
}

func (p *physionet) requests(prefix string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, l := range p.log {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// testDataset returns the named dataset pointed at a fake source.
func testDataset(t *testing.T, name, source string) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	d.Source = source
	return d
}

func fastDownloader(progress *bytes.Buffer) *dataset.Downloader {
	dl := &dataset.Downloader{Backoff: time.Millisecond}
	if progress != nil {
		dl.Progress = progress
	}
	return dl
}

func checkFiles(t *testing.T, p *physionet, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(dir, "eegmmidb", n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, p.files[n]) {
			t.Errorf("%s: downloaded content differs (%d bytes, want %d)", n, len(got), len(p.files[n]))
		}
		if _, err := os.Stat(filepath.Join(dir, "eegmmidb", n+".part")); err == nil {
			t.Errorf("%s.part left behind", n)
		}
	}
}

func TestDownloadEEGMMIDB(t *testing.T) {
	p, srv := newPhysionet(t, []int{1, 2}, []int{4, 8, 12})
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	var progress bytes.Buffer
	if err := fastDownloader(&progress).Download(context.Background(), d, []int{2}, dir); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, p, dir, "S002/S002R04.edf", "S002/S002R08.edf", "S002/S002R12.edf")
	if _, err := os.Stat(filepath.Join(dir, "eegmmidb", "S001")); err == nil {
		t.Error("subject 1 was downloaded but not asked for")
	}
	out := progress.String()
	if !strings.Contains(out, "100%") || !strings.Contains(out, "S002R12.edf") || !strings.Contains(out, "3 files downloaded") {
		t.Errorf("progress output lacks the bar or the summary:\n%s", out)
	}
	// The dataset now finds the subject.
	d.Dir = dir
	if got := d.Available(); len(got) != 1 || got[0] != 2 {
		t.Errorf("Available = %v, want [2]", got)
	}
	// A second call checks the files and fetches nothing.
	before := len(p.requests("S002/"))
	progress.Reset()
	if err := fastDownloader(&progress).Download(context.Background(), d, []int{2}, dir); err != nil {
		t.Fatal(err)
	}
	if n := len(p.requests("S002/")); n != before {
		t.Errorf("second call made %d file requests, want none", n-before)
	}
	if !strings.Contains(progress.String(), "present, sha256 ok") {
		t.Errorf("second call output:\n%s", progress.String())
	}
}

func TestDownloadResumeAfterCut(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	p.cut["S001/S001R08.edf"] = true
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	var progress bytes.Buffer
	if err := fastDownloader(&progress).Download(context.Background(), d, []int{1}, dir); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, p, dir, "S001/S001R04.edf", "S001/S001R08.edf", "S001/S001R12.edf")
	reqs := p.requests("S001/S001R08.edf")
	if len(reqs) != 2 {
		t.Fatalf("requests for the cut file: %q, want 2", reqs)
	}
	var start int
	if _, err := fmt.Sscanf(reqs[1], "S001/S001R08.edf bytes=%d-", &start); err != nil || start <= 0 {
		t.Errorf("second request %q is not a range request resuming the file", reqs[1])
	}
	if !strings.Contains(progress.String(), "resuming at") {
		t.Errorf("progress does not say it resumed:\n%s", progress.String())
	}
}

func TestDownloadResumePartFile(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	// A .part left by an earlier, interrupted run.
	part := filepath.Join(dir, "eegmmidb", "S001", "S001R04.edf.part")
	os.MkdirAll(filepath.Dir(part), 0o755)
	os.WriteFile(part, p.files["S001/S001R04.edf"][:12345], 0o644)
	if err := fastDownloader(nil).Download(context.Background(), d, nil, dir); err == nil {
		t.Fatal("downloading all 109 subjects from a server with one should fail")
	}
	if err := fastDownloader(nil).Download(context.Background(), d, []int{1}, dir); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, p, dir, "S001/S001R04.edf", "S001/S001R08.edf", "S001/S001R12.edf")
	if reqs := p.requests("S001/S001R04.edf"); len(reqs) != 1 || reqs[0] != "S001/S001R04.edf bytes=12345-" {
		t.Errorf("requests %q, want one range request from byte 12345", reqs)
	}
}

func TestDownloadServerIgnoresRange(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	p.noRange = true
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	part := filepath.Join(dir, "eegmmidb", "S001", "S001R12.edf.part")
	os.MkdirAll(filepath.Dir(part), 0o755)
	os.WriteFile(part, []byte("garbage that is not the start of the file"), 0o644)
	if err := fastDownloader(nil).Download(context.Background(), d, []int{1}, dir); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, p, dir, "S001/S001R04.edf", "S001/S001R08.edf", "S001/S001R12.edf")
}

func TestDownloadChecksumMismatch(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	wrong := strings.Repeat("ab", 32)
	p.sums["S001/S001R08.edf"] = wrong
	h := sha256.Sum256(p.files["S001/S001R08.edf"])
	right := hex.EncodeToString(h[:])
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	err := fastDownloader(nil).Download(context.Background(), d, []int{1}, dir)
	if !errors.Is(err, dataset.ErrChecksum) {
		t.Fatalf("error %v, want ErrChecksum", err)
	}
	for _, s := range []string{"S001R08.edf", wrong, right} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
	for _, n := range []string{"S001R08.edf", "S001R08.edf.part"} {
		if _, err := os.Stat(filepath.Join(dir, "eegmmidb", "S001", n)); err == nil {
			t.Errorf("%s exists after a checksum mismatch", n)
		}
	}
}

func TestDownloadPresentFileMismatch(t *testing.T) {
	_, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	f := filepath.Join(dir, "eegmmidb", "S001", "S001R04.edf")
	os.MkdirAll(filepath.Dir(f), 0o755)
	os.WriteFile(f, []byte("not the file"), 0o644)
	err := fastDownloader(nil).Download(context.Background(), d, []int{1}, dir)
	if !errors.Is(err, dataset.ErrChecksum) || !strings.Contains(err.Error(), "delete the file") {
		t.Fatalf("error %v, want ErrChecksum telling to delete the file", err)
	}
}

func TestDownloadNotFound(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	delete(p.files, "S001/S001R12.edf")
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	// SHA256SUMS now lacks the file: an error naming it.
	err := fastDownloader(nil).Download(context.Background(), d, []int{1}, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "S001/S001R12.edf has no entry") {
		t.Fatalf("error %v, want a missing checksum entry", err)
	}
	// A file the server does not have: a 404 naming the address, not retried.
	_, srv2 := newPhysionet(t, []int{1}, []int{4, 8, 12})
	d2 := testDataset(t, "eegmmidb-imagery-lr", srv2.URL+"/missing/")
	err = fastDownloader(nil).Download(context.Background(), d2, []int{1}, t.TempDir())
	var se *dataset.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), srv2.URL+"/missing/SHA256SUMS.txt") {
		t.Fatalf("error %v, want a 404 StatusError naming the address", err)
	}
	p3, srv3 := newPhysionet(t, []int{1}, []int{4, 8, 12})
	p3.fail["S001/S001R04.edf"] = http.StatusNotFound
	d3 := testDataset(t, "eegmmidb-imagery-lr", srv3.URL+"/")
	err = fastDownloader(nil).Download(context.Background(), d3, []int{1}, t.TempDir())
	if !errors.As(err, &se) || se.Code != http.StatusNotFound || !strings.Contains(err.Error(), srv3.URL+"/S001/S001R04.edf") {
		t.Fatalf("error %v, want a 404 naming the file's address", err)
	}
	if n := len(p3.requests("S001/S001R04.edf")); n != 1 {
		t.Errorf("a 404 was tried %d times, want 1", n)
	}
}

func TestDownloadServerErrorRetried(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	p.fail["S001/S001R04.edf"] = http.StatusServiceUnavailable
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	if err := fastDownloader(nil).Download(context.Background(), d, []int{1}, dir); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, p, dir, "S001/S001R04.edf")
	if n := len(p.requests("S001/S001R04.edf")); n != 2 {
		t.Errorf("%d requests, want 2 (a 503 then a success)", n)
	}
}

func TestDownloadCancel(t *testing.T) {
	p, srv := newPhysionet(t, []int{1}, []int{4, 8, 12})
	p.block = true
	p.sent = make(chan struct{})
	d := testDataset(t, "eegmmidb-imagery-lr", srv.URL+"/")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-p.sent
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	err := fastDownloader(nil).Download(ctx, d, []int{1}, dir)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "eegmmidb", "S001", "S001R04.edf.part")); err != nil {
		t.Errorf("the partial file was not kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "eegmmidb", "S001", "S001R04.edf")); err == nil {
		t.Error("a cancelled file has its final name")
	}
}

func TestDownloadUnknown(t *testing.T) {
	err := dataset.Download(context.Background(), "nope", nil, t.TempDir(), nil)
	if !errors.Is(err, dataset.ErrUnknown) {
		t.Fatalf("error %v, want ErrUnknown", err)
	}
	d, _ := dataset.Get("ssvep-exo")
	err = fastDownloader(nil).Download(context.Background(), d, []int{13}, t.TempDir())
	if !errors.Is(err, dataset.ErrSubject) || !strings.Contains(err.Error(), "1-12") {
		t.Fatalf("error %v, want ErrSubject listing 1-12", err)
	}
}

// github is a fake GitHub contents API and raw file server.
func newGitHub(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		folder := strings.TrimPrefix(r.URL.Path, "/api/")
		type entry struct {
			Name        string  `json:"name"`
			Path        string  `json:"path"`
			Type        string  `json:"type"`
			SHA         string  `json:"sha"`
			Size        int     `json:"size"`
			DownloadURL *string `json:"download_url"`
		}
		var list []entry
		for p, c := range files {
			dir, name := filepath.Split(p)
			if strings.TrimSuffix(dir, "/") != folder {
				continue
			}
			h := sha1.New()
			fmt.Fprintf(h, "blob %d\x00", len(c))
			h.Write(c)
			u := srv.URL + "/raw/" + folder + "/" + url.PathEscape(name)
			list = append(list, entry{Name: name, Path: p, Type: "file", SHA: hex.EncodeToString(h.Sum(nil)), Size: len(c), DownloadURL: &u})
		}
		if len(list) == 0 {
			http.NotFound(w, r)
			return
		}
		list = append(list, entry{Name: "sub", Path: folder + "/sub", Type: "dir", SHA: strings.Repeat("0", 40)})
		json.NewEncoder(w).Encode(list)
	})
	mux.HandleFunc("/raw/", func(w http.ResponseWriter, r *http.Request) {
		c, ok := files[strings.TrimPrefix(r.URL.Path, "/raw/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(c))
	})
	return srv
}

func TestDownloadSSVEPExo(t *testing.T) {
	files := map[string][]byte{
		"subject03/record-[2012.07.11-15.25.23]_raw.fif": bytes.Repeat([]byte("raw1"), 5000),
		"subject03/record-[2012.07.11-15.25.23]-eve.fif": []byte("events 1"),
		"subject03/record-[2012.07.11-15.25.23].gdf":     []byte("original, not needed"),
		"subject03/record-[2012.07.11-15.33.08]_raw.fif": bytes.Repeat([]byte("raw2"), 7000),
		"subject03/record-[2012.07.11-15.33.08]-eve.fif": []byte("events 2"),
	}
	srv := newGitHub(t, files)
	d := testDataset(t, "ssvep-exo", srv.URL+"/api/")
	dir := t.TempDir()
	if err := fastDownloader(nil).Download(context.Background(), d, []int{3}, dir); err != nil {
		t.Fatal(err)
	}
	for p, c := range files {
		got, err := os.ReadFile(filepath.Join(dir, "ssvep-exo", filepath.FromSlash(p)))
		if strings.HasSuffix(p, ".gdf") {
			if err == nil {
				t.Errorf("%s downloaded", p)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, c) {
			t.Errorf("%s: %v, content equal %v", p, err, bytes.Equal(got, c))
		}
	}
	d.Dir = dir
	recs, err := d.Recordings(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Session != "2012.07.11-15.25.23" || recs[1].Session != "2012.07.11-15.33.08" {
		t.Errorf("recordings %+v", recs)
	}
	// A subject the source does not have: the listing is a 404.
	srv2 := newGitHub(t, map[string][]byte{"subject04/record-[x]_raw.fif": []byte("content")})
	d2 := testDataset(t, "ssvep-exo", srv2.URL+"/api/")
	err = fastDownloader(nil).Download(context.Background(), d2, []int{5}, t.TempDir())
	var se *dataset.StatusError
	if !errors.As(err, &se) || se.Code != 404 {
		t.Errorf("subject missing upstream: error %v, want 404", err)
	}
}

func TestDownloadSSVEPExoChecksum(t *testing.T) {
	good := map[string][]byte{
		"subject04/record-[x]_raw.fif": []byte("content"),
		"subject04/record-[x]-eve.fif": []byte("events"),
	}
	api := newGitHub(t, good)
	// A raw server that sends other bytes than the listing describes.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("tampered"))
	}))
	t.Cleanup(bad.Close)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(api.URL + r.URL.Path)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer resp.Body.Close()
		var list []map[string]any
		json.NewDecoder(resp.Body).Decode(&list)
		for _, e := range list {
			if e["type"] == "file" {
				e["download_url"] = bad.URL + "/x"
			}
		}
		json.NewEncoder(w).Encode(list)
	}))
	t.Cleanup(proxy.Close)
	d := testDataset(t, "ssvep-exo", proxy.URL+"/api/")
	err := fastDownloader(nil).Download(context.Background(), d, []int{4}, t.TempDir())
	if !errors.Is(err, dataset.ErrChecksum) || !strings.Contains(err.Error(), "git-blob-sha1") {
		t.Fatalf("error %v, want a git hash mismatch", err)
	}
}
