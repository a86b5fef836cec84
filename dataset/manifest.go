package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"path"
	"strings"
)

// ErrManifest reports a checksum list or file listing from a source that
// cannot be understood.
var ErrManifest = errors.New("bad file listing")

const (
	sha256Algo  = "sha256"
	gitBlobAlgo = "git-blob-sha1" // what GitHub reports as a file's sha
)

// checksum is the expected hash of a file, in lower-case hex.
type checksum struct {
	algo string
	hex  string
}

// newHash returns the hash that produces the checksum of a file of the
// given size. A git blob hash covers a "blob <size>\x00" header before the
// content, so it needs the size up front.
func (c checksum) newHash(size int64) hash.Hash {
	if c.algo == gitBlobAlgo {
		h := sha1.New()
		fmt.Fprintf(h, "blob %d\x00", size)
		return h
	}
	return sha256.New()
}

// remoteFile is one file to download.
type remoteFile struct {
	rel  string // destination, relative to the data directory
	url  string
	sum  checksum
	size int64 // -1 when unknown
}

// sums maps the paths of a SHA256SUMS listing to their hashes.
type sums map[string]string

// lookup finds the hash of p ("S001/S001R04.edf"), or, failing that, of
// the only entry with the same base name (a listing of one folder, as the
// per-subject SHA256SUMS.S001 files are written).
func (s sums) lookup(p string) (string, bool) {
	if h, ok := s[p]; ok {
		return h, true
	}
	base := path.Base(p)
	var found string
	n := 0
	for k, h := range s {
		if path.Base(k) == base {
			found, n = h, n+1
		}
	}
	return found, n == 1
}

// parseSHA256Sums reads the output format of sha256sum: one file per line,
// 64 hex digits, a space, a space or '*' (binary mode), the path. Blank
// lines are skipped; anything else is an error naming the line.
func parseSHA256Sums(b []byte) (sums, error) {
	s := sums{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" {
			continue
		}
		if len(t) < 67 || t[64] != ' ' || (t[65] != ' ' && t[65] != '*') {
			return nil, fmt.Errorf("line %d %q: want \"<sha256>  <file>\": %w", line, clip(t), ErrManifest)
		}
		h := strings.ToLower(t[:64])
		if _, err := hex.DecodeString(h); err != nil {
			return nil, fmt.Errorf("line %d: %q is not a SHA-256 hash: %w", line, clip(t[:64]), ErrManifest)
		}
		name := strings.TrimPrefix(t[66:], "./")
		if name == "" {
			return nil, fmt.Errorf("line %d: no file name: %w", line, ErrManifest)
		}
		s[name] = h
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %v: %w", line+1, err, ErrManifest)
	}
	return s, nil
}

// githubEntry is one entry of GitHub's contents API listing of a folder.
type githubEntry struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	SHA         string `json:"sha"`
	Size        int64  `json:"size"`
	DownloadURL string `json:"download_url"`
}

// parseGitHubListing reads a contents API listing and keeps its files,
// checking what a download relies on: a plain file name (no path
// separator, nothing that could leave the folder), a 40-digit git hash, a
// size and an http(s) download address.
func parseGitHubListing(b []byte) ([]githubEntry, error) {
	var all []githubEntry
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("not a GitHub folder listing: %v: %w", err, ErrManifest)
	}
	var files []githubEntry
	for _, e := range all {
		if e.Type != "file" {
			continue
		}
		if e.Name == "" || e.Name == "." || e.Name == ".." || strings.ContainsAny(e.Name, "/\\\x00") {
			return nil, fmt.Errorf("file name %q: %w", clip(e.Name), ErrManifest)
		}
		e.SHA = strings.ToLower(e.SHA)
		if _, err := hex.DecodeString(e.SHA); err != nil || len(e.SHA) != 40 {
			return nil, fmt.Errorf("%s: sha %q is not a git hash: %w", e.Name, clip(e.SHA), ErrManifest)
		}
		if e.Size < 0 {
			return nil, fmt.Errorf("%s: size %d: %w", e.Name, e.Size, ErrManifest)
		}
		u, err := url.Parse(e.DownloadURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s: download_url %q: %w", e.Name, clip(e.DownloadURL), ErrManifest)
		}
		files = append(files, e)
	}
	return files, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
