package dataset

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrChecksum reports a file whose content does not have the checksum its
// source publishes.
var ErrChecksum = errors.New("checksum mismatch")

// StatusError reports an HTTP response other than the one a download
// expects.
type StatusError struct {
	URL    string
	Status string // "404 Not Found"
	Code   int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("dataset: GET %s: HTTP %s", e.URL, e.Status)
}

// Download fetches the files of the given subjects (nil: all of them) of
// the dataset called name into dir (the data directory; "" means Dir()),
// in the layout Recordings reads, writing a progress bar to progress (nil
// for none). See Downloader.
func Download(ctx context.Context, name string, subjects []int, dir string, progress io.Writer) error {
	d, err := Get(name)
	if err != nil {
		return err
	}
	dl := Downloader{Progress: progress}
	return dl.Download(ctx, d, subjects, dir)
}

// DefaultAttempts is the number of tries per file of a Downloader whose
// Attempts is 0.
const DefaultAttempts = 4

// maxListing bounds the size of a checksum list or folder listing.
const maxListing = 16 << 20

// Downloader fetches datasets from their public sources:
//
//   - EEGMMIDB from PhysioNet (Source, by default
//     https://physionet.org/files/eegmmidb/1.0.0/), each file checked
//     against the SHA-256 of PhysioNet's SHA256SUMS.txt;
//   - SSVEP-Exo from the GitHub repository sylvchev/dataset-ssvep-exoskeleton
//     (Source, by default its contents API address), every record-*_raw.fif
//     and record-*-eve.fif of a subject's folder, each checked against the
//     git blob hash GitHub lists for it.
//
// A file is written to <name>.part and renamed to its name only once its
// checksum matches, so a file under its final name is always complete.
// A cut connection is resumed where it stopped with an HTTP range request
// (and so is a .part file left by an earlier, interrupted call); a server
// that ignores the range restarts the file. A file already present is
// checked and kept; one whose checksum differs is an error (delete it to
// download it again). Cancelling ctx stops the download and keeps the
// .part file for a later call.
type Downloader struct {
	// Client is the HTTP client; nil means http.DefaultClient.
	Client *http.Client
	// Progress receives a progress bar per file; nil means none.
	Progress io.Writer
	// Attempts is the number of tries per file after a cut connection
	// or a server error (5xx, 429); 0 means DefaultAttempts.
	Attempts int
	// Backoff is the wait before the second try, doubled before each
	// further one; 0 means one second.
	Backoff time.Duration
}

// Download fetches the files of the given subjects (nil: all) of d into
// dir ("" means Dir()).
func (dl *Downloader) Download(ctx context.Context, d *Dataset, subjects []int, dir string) error {
	if dir == "" {
		dir = Dir()
	}
	if subjects == nil {
		subjects = d.Subjects
	}
	for _, s := range subjects {
		if err := d.checkSubject(s); err != nil {
			return err
		}
	}
	f := &fetch{ctx: ctx, client: dl.client(), cache: map[string]sums{}}
	var got, kept int
	for _, s := range subjects {
		files, err := d.layout.remote(f, d, s)
		if err != nil {
			return err
		}
		for _, rf := range files {
			fetched, err := dl.file(ctx, rf, dir)
			if err != nil {
				return err
			}
			if fetched {
				got++
			} else {
				kept++
			}
		}
	}
	if dl.Progress != nil {
		fmt.Fprintf(dl.Progress, "%s: %d files downloaded, %d already present in %s\n", d.Name, got, kept, dir)
	}
	return nil
}

func (dl *Downloader) client() *http.Client {
	if dl.Client != nil {
		return dl.Client
	}
	return http.DefaultClient
}

// file makes sure rf is in dir, downloading it when it is not. It reports
// whether it downloaded.
func (dl *Downloader) file(ctx context.Context, rf remoteFile, dir string) (bool, error) {
	final := filepath.Join(dir, filepath.FromSlash(rf.rel))
	if _, err := os.Stat(final); err == nil {
		got, err := hashFile(final, rf.sum, rf.size)
		if err != nil {
			return false, fmt.Errorf("dataset: %w", err)
		}
		if got != rf.sum.hex {
			return false, fmt.Errorf("dataset: %s: %w: present file has %s %s, %s publishes %s (delete the file to download it again)",
				final, ErrChecksum, rf.sum.algo, got, rf.url, rf.sum.hex)
		}
		dl.say("%s  present, %s ok\n", rf.rel, rf.sum.algo)
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return false, fmt.Errorf("dataset: %w", err)
	}
	part := final + ".part"
	attempts := dl.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	wait := dl.Backoff
	if wait <= 0 {
		wait = time.Second
	}
	var (
		got string
		n   int64
	)
	for try := 1; ; try++ {
		var err error
		got, n, err = dl.try(ctx, rf, part)
		if err == nil {
			break
		}
		var tr *transient
		if !errors.As(err, &tr) || try >= attempts || ctx.Err() != nil {
			if ctx.Err() != nil {
				return false, fmt.Errorf("dataset: %s: %w (the partial file %s is kept for a later download)", rf.rel, ctx.Err(), part)
			}
			return false, err
		}
		dl.say("%s  try %d of %d failed (%v); resuming in %v\n", rf.rel, try, attempts, tr.err, wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return false, fmt.Errorf("dataset: %s: %w (the partial file %s is kept for a later download)", rf.rel, ctx.Err(), part)
		}
		wait *= 2
	}
	if got != rf.sum.hex {
		os.Remove(part)
		size := ""
		if rf.size >= 0 && n != rf.size {
			size = fmt.Sprintf(" (%d bytes received, %d expected)", n, rf.size)
		}
		return false, fmt.Errorf("dataset: %s: %w: downloaded %s %s, %s publishes %s%s; the partial file was removed",
			rf.rel, ErrChecksum, rf.sum.algo, got, rf.url, rf.sum.hex, size)
	}
	if err := os.Rename(part, final); err != nil {
		return false, fmt.Errorf("dataset: %w", err)
	}
	return true, nil
}

// transient marks an error after which a download is worth resuming: a
// connection cut or refused, a server error.
type transient struct{ err error }

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// try downloads rf into part, resuming after the bytes part already
// holds, and returns the checksum of the whole file and its length.
func (dl *Downloader) try(ctx context.Context, rf remoteFile, part string) (string, int64, error) {
	fh, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", 0, fmt.Errorf("dataset: %w", err)
	}
	defer fh.Close()
	h := rf.sum.newHash(rf.size)
	n, err := io.Copy(h, fh)
	if err != nil {
		return "", 0, fmt.Errorf("dataset: %s: %w", part, err)
	}
	restart := func() error {
		if err := fh.Truncate(0); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		h, n = rf.sum.newHash(rf.size), 0
		return nil
	}
	if rf.size >= 0 && n > rf.size {
		if err := restart(); err != nil {
			return "", 0, err
		}
	}
	if rf.size >= 0 && n == rf.size && n > 0 {
		// A complete .part left by an earlier call.
		if sum := hex.EncodeToString(h.Sum(nil)); sum == rf.sum.hex {
			return sum, n, nil
		}
		if err := restart(); err != nil {
			return "", 0, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rf.url, nil)
	if err != nil {
		return "", 0, fmt.Errorf("dataset: %s: %w", rf.rel, err)
	}
	if n > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", n))
	}
	resp, err := dl.client().Do(req)
	if err != nil {
		return "", 0, &transient{fmt.Errorf("dataset: %s: %w", rf.rel, err)}
	}
	defer resp.Body.Close()
	total := int64(-1)
	switch resp.StatusCode {
	case http.StatusOK:
		if n > 0 { // the server ignored the range: start again
			if err := restart(); err != nil {
				return "", 0, err
			}
		}
		if resp.ContentLength >= 0 {
			total = resp.ContentLength
		}
	case http.StatusPartialContent:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != n {
			if err := restart(); err != nil {
				return "", 0, err
			}
			return "", 0, &transient{fmt.Errorf("dataset: %s: asked for bytes from %d, server sent Content-Range %q", rf.rel, n, resp.Header.Get("Content-Range"))}
		}
		total = size
	case http.StatusRequestedRangeNotSatisfiable:
		// The .part holds at least the whole file: check it as it is.
		if n > 0 {
			return hex.EncodeToString(h.Sum(nil)), n, nil
		}
		fallthrough
	default:
		se := &StatusError{URL: rf.url, Status: resp.Status, Code: resp.StatusCode}
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return "", 0, &transient{se}
		}
		return "", 0, se
	}
	if total < 0 {
		total = rf.size
	}
	bar := dl.newBar(rf.rel, n, total)
	m, err := io.Copy(io.MultiWriter(fh, h, bar), resp.Body)
	n += m
	if err != nil {
		bar.end(fmt.Sprintf("cut at %s", mb(n)))
		if ctx.Err() != nil {
			return "", n, ctx.Err()
		}
		return "", n, &transient{fmt.Errorf("dataset: %s: connection cut after %d bytes: %w", rf.rel, n, err)}
	}
	if err := fh.Sync(); err != nil {
		return "", n, fmt.Errorf("dataset: %w", err)
	}
	bar.end("done")
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// parseContentRange reads "bytes <start>-<end>/<size>" (size "*" is
// unknown, -1).
func parseContentRange(s string) (start, size int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	span, total, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	first, _, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	size = -1
	if total != "*" {
		if size, err = strconv.ParseInt(total, 10, 64); err != nil || size < 0 {
			return 0, 0, false
		}
	}
	return start, size, true
}

// hashFile computes the checksum of the file at p with c's algorithm.
func hashFile(p string, c checksum, size int64) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if size < 0 {
		st, err := f.Stat()
		if err != nil {
			return "", err
		}
		size = st.Size()
	}
	h := c.newHash(size)
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fetch gets the listings a download needs, within one Download call.
type fetch struct {
	ctx    context.Context
	client *http.Client
	cache  map[string]sums
}

// get reads a small document (a listing), failing on any status but 200.
func (f *fetch) get(url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.github+json, text/plain, */*")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{URL: url, Status: resp.Status, Code: resp.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxListing+1))
	if err != nil {
		return nil, fmt.Errorf("dataset: GET %s: %w", url, err)
	}
	if len(b) > maxListing {
		return nil, fmt.Errorf("dataset: GET %s: listing larger than %d bytes: %w", url, maxListing, ErrManifest)
	}
	return b, nil
}

func (f *fetch) sha256Sums(url string) (sums, error) {
	if s, ok := f.cache[url]; ok {
		return s, nil
	}
	b, err := f.get(url)
	if err != nil {
		return nil, err
	}
	s, err := parseSHA256Sums(b)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", url, err)
	}
	f.cache[url] = s
	return s, nil
}

func (f *fetch) githubListing(url string) ([]githubEntry, error) {
	b, err := f.get(url)
	if err != nil {
		return nil, err
	}
	l, err := parseGitHubListing(b)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", url, err)
	}
	return l, nil
}

func (dl *Downloader) say(format string, args ...any) {
	if dl.Progress != nil {
		fmt.Fprintf(dl.Progress, format, args...)
	}
}

// bar draws a one-line progress bar, redrawn in place with '\r' at most
// ten times a second.
type bar struct {
	w           io.Writer
	name        string
	done, total int64
	last        time.Time
}

func (dl *Downloader) newBar(name string, done, total int64) *bar {
	b := &bar{w: dl.Progress, name: name, done: done, total: total}
	if done > 0 && b.w != nil {
		fmt.Fprintf(b.w, "%s  resuming at %s\n", name, mb(done))
	}
	b.draw()
	return b
}

func (b *bar) Write(p []byte) (int, error) {
	b.done += int64(len(p))
	if b.w != nil && time.Since(b.last) >= 100*time.Millisecond {
		b.draw()
	}
	return len(p), nil
}

func (b *bar) draw() {
	if b.w == nil {
		return
	}
	b.last = time.Now()
	if b.total <= 0 {
		fmt.Fprintf(b.w, "\r%s  %s", b.name, mb(b.done))
		return
	}
	const width = 30
	frac := float64(b.done) / float64(b.total)
	frac = min(max(frac, 0), 1)
	fill := int(frac * width)
	fmt.Fprintf(b.w, "\r%s  [%s%s] %3d%%  %s / %s", b.name, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), int(frac*100), mb(b.done), mb(b.total))
}

func (b *bar) end(status string) {
	if b.w == nil {
		return
	}
	b.draw()
	fmt.Fprintf(b.w, "  %s\n", status)
}

// mb formats a byte count.
func mb(n int64) string {
	if n < 1e6 {
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
