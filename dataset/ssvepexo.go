package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bcikit/bcikit/fif"
	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
)

// ssvepExoAPI lists the files of the dataset's GitHub repository (the
// layout of the data directory, one folder per subject) with their git
// blob hashes. MOABB's SSVEPExo downloads another copy of the same
// recordings from Zenodo (https://zenodo.org/record/2392979/files/,
// subjectNN_runK_raw.fif with a stim channel instead of event files).
const ssvepExoAPI = "https://api.github.com/repos/sylvchev/dataset-ssvep-exoskeleton/contents/"

const (
	rawSuffix = "_raw.fif"
	eveSuffix = "-eve.fif"
)

// ssvepExoLayout is the GitHub layout: ssvep-exo/subject01/
// record-[DATE]_raw.fif with its events in record-[DATE]-eve.fif.
type ssvepExoLayout struct{}

func ssvepExo() *Dataset {
	return &Dataset{
		Name: "ssvep-exo",
		Title: "SSVEP exoskeleton dataset, 13/17/21 Hz LEDs and rest " +
			"(Kalunga et al. 2016, doi:10.1016/j.neucom.2016.01.007)",
		MOABB:    "SSVEPExo (Kalunga2016)",
		Kind:     SSVEP,
		Subjects: seq(1, 12),
		Classes: []Class{
			{Name: "rest", Code: 1},
			{Name: "13", Code: 2, Freq: 13},
			{Name: "21", Code: 3, Freq: 21},
			{Name: "17", Code: 4, Freq: 17},
		},
		Interval: [2]float64{2, 5},
		SFreq:    256,
		Channels: []string{"Oz", "O1", "O2", "PO3", "POz", "PO7", "PO8", "PO4"},
		License:  "CC0-1.0",
		Source:   ssvepExoAPI,
		layout:   ssvepExoLayout{},
	}
}

func ssvepExoFolder(subject int) string {
	return fmt.Sprintf("ssvep-exo/subject%02d", subject)
}

// ssvepExoSession returns the session name of a recording file,
// "record-[2012.07.06-19.02.16]_raw.fif" → "2012.07.06-19.02.16", or
// false when name is not a recording.
func ssvepExoSession(name string) (string, bool) {
	stem, ok := strings.CutSuffix(name, rawSuffix)
	if !ok {
		return "", false
	}
	stem, ok = strings.CutPrefix(stem, "record-")
	if !ok || stem == "" {
		return "", false
	}
	if inner, ok := strings.CutPrefix(stem, "["); ok {
		if inner, ok = strings.CutSuffix(inner, "]"); ok && inner != "" {
			return inner, true
		}
	}
	return stem, true
}

func (ssvepExoLayout) recordings(d *Dataset, dir string, subject int) ([]Recording, error) {
	folder := ssvepExoFolder(subject)
	p, err := PathIn(dir, folder)
	if err != nil {
		return nil, fmt.Errorf("%s: subject %d: %w", d.Name, subject, err)
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: subject %d: %w", d.Name, subject, err)
	}
	var names []string
	for _, e := range entries {
		if _, ok := ssvepExoSession(e.Name()); ok && !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("dataset: %s: subject %d: no record-*%s file in %s: %w", d.Name, subject, rawSuffix, p, fs.ErrNotExist)
	}
	slices.Sort(names)
	recs := make([]Recording, 0, len(names))
	for _, n := range names {
		session, _ := ssvepExoSession(n)
		eve := path.Join(folder, strings.TrimSuffix(n, rawSuffix)+eveSuffix)
		if _, err := PathIn(dir, eve); err != nil {
			return nil, fmt.Errorf("%s: subject %d: %w", d.Name, subject, err)
		}
		recs = append(recs, Recording{
			Subject: subject, Session: session, Run: "0", File: path.Join(folder, n), Events: eve,
		})
	}
	return recs, nil
}

func (ssvepExoLayout) read(d *Dataset, dir string, rec Recording) (*raw.Raw, []raw.Event, error) {
	p, err := PathIn(dir, rec.File)
	if err != nil {
		return nil, nil, err
	}
	if rec.Events == "" {
		return nil, nil, fmt.Errorf("dataset: %s: %s has no event file", d.Name, rec.File)
	}
	pe, err := PathIn(dir, rec.Events)
	if err != nil {
		return nil, nil, err
	}
	r, err := format.Read(p)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset: %s: %w", d.Name, err)
	}
	all, err := fif.ReadEvents(pe)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset: %s: %w", d.Name, err)
	}
	ev := make([]raw.Event, 0, len(all))
	for _, e := range all {
		if _, ok := d.Class(e.Code); ok {
			ev = append(ev, e)
		}
	}
	slices.SortStableFunc(ev, func(a, b raw.Event) int { return a.Sample - b.Sample })
	return r, ev, nil
}

func (ssvepExoLayout) remote(f *fetch, d *Dataset, subject int) ([]remoteFile, error) {
	folder := fmt.Sprintf("subject%02d", subject)
	list, err := f.githubListing(d.Source + folder)
	if err != nil {
		return nil, err
	}
	// Every recording with its event file; the OpenViBE originals (.gdf,
	// .pz, .mat) are not needed.
	var files []remoteFile
	for _, e := range list {
		if _, ok := ssvepExoSession(e.Name); !ok {
			continue
		}
		eveName := strings.TrimSuffix(e.Name, rawSuffix) + eveSuffix
		k := slices.IndexFunc(list, func(x githubEntry) bool { return x.Name == eveName })
		if k < 0 {
			return nil, fmt.Errorf("dataset: %s: %s%s: %s has no event file %s", d.Name, d.Source, folder, e.Name, eveName)
		}
		for _, x := range []githubEntry{e, list[k]} {
			files = append(files, remoteFile{
				rel:  filepath.ToSlash(path.Join(ssvepExoFolder(subject), x.Name)),
				url:  x.DownloadURL,
				sum:  checksum{algo: gitBlobAlgo, hex: x.SHA},
				size: x.Size,
			})
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("dataset: %s: %s%s lists no record-*%s file: %w", d.Name, d.Source, folder, rawSuffix, errors.New("nothing to download"))
	}
	return files, nil
}
