package dataset

import (
	"fmt"
	"strings"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/montage"
	"github.com/bcikit/bcikit/raw"
)

// eegmmidbURL is PhysioNet's copy of the EEG Motor Movement/Imagery
// Database, MOABB's BASE_URL for PhysionetMI.
const eegmmidbURL = "https://physionet.org/files/eegmmidb/1.0.0/"

// eegmmidbChannels are the 64 channels of EEGMMIDB after
// montage.Standardize, in file order (what MNE's eegbci.standardize and
// MOABB's renaming give).
var eegmmidbChannels = []string{
	"FC5", "FC3", "FC1", "FCz", "FC2", "FC4", "FC6", "C5", "C3", "C1", "Cz", "C2", "C4", "C6",
	"CP5", "CP3", "CP1", "CPz", "CP2", "CP4", "CP6", "Fp1", "Fpz", "Fp2", "AF7", "AF3", "AFz",
	"AF4", "AF8", "F7", "F5", "F3", "F1", "Fz", "F2", "F4", "F6", "F8", "FT7", "FT8", "T7", "T8",
	"T9", "T10", "TP7", "TP8", "P7", "P5", "P3", "P1", "Pz", "P2", "P4", "P6", "P8", "PO7", "PO3",
	"POz", "PO4", "PO8", "O1", "Oz", "O2", "Iz",
}

// eegmmidbLayout is PhysioNet's layout: eegmmidb/S001/S001R04.edf, the
// cues as EDF+ annotations T1 and T2.
type eegmmidbLayout struct {
	runs  []int
	marks map[string]int // annotation → class code
}

// eegmmidb builds one of the four EEGMMIDB datasets: imagined or executed
// movements, left vs right fist (lr) or both fists vs both feet (ff).
func eegmmidb(name string, imagined, feet bool) *Dataset {
	var (
		runs    []int
		classes []Class
		task    string
	)
	switch {
	case imagined && !feet:
		runs, task = []int{4, 8, 12}, "imagined opening and closing of the left or right fist"
	case imagined && feet:
		runs, task = []int{6, 10, 14}, "imagined opening and closing of both fists or both feet"
	case !feet:
		runs, task = []int{3, 7, 11}, "opening and closing of the left or right fist"
	default:
		runs, task = []int{5, 9, 13}, "opening and closing of both fists or both feet"
	}
	if feet {
		classes = []Class{{Name: "hands", Code: 4}, {Name: "feet", Code: 5}}
	} else {
		classes = []Class{{Name: "left_hand", Code: 2}, {Name: "right_hand", Code: 3}}
	}
	opts := "imagined=True"
	if !imagined {
		opts = "imagined=False, executed=True"
	}
	return &Dataset{
		Name: name,
		Title: "PhysioNet EEG Motor Movement/Imagery Database (EEGMMIDB) 1.0.0, " + task +
			" (Schalk et al. 2004, doi:10.1109/TBME.2004.827072; Goldberger et al. 2000)",
		MOABB:    fmt.Sprintf("PhysionetMI(%s), runs %d, %d, %d", opts, runs[0], runs[1], runs[2]),
		Kind:     Imagery,
		Subjects: seq(1, 109),
		Classes:  classes,
		Interval: [2]float64{0, 3},
		SFreq:    160,
		Channels: eegmmidbChannels,
		License:  "ODC-By-1.0",
		Source:   eegmmidbURL,
		layout: &eegmmidbLayout{
			runs:  runs,
			marks: map[string]int{"T1": classes[0].Code, "T2": classes[1].Code},
		},
	}
}

func eegmmidbFile(subject, run int) string {
	return fmt.Sprintf("eegmmidb/S%03d/S%03dR%02d.edf", subject, subject, run)
}

func (l *eegmmidbLayout) recordings(d *Dataset, dir string, subject int) ([]Recording, error) {
	recs := make([]Recording, 0, len(l.runs))
	for _, run := range l.runs {
		rel := eegmmidbFile(subject, run)
		if _, err := PathIn(dir, rel); err != nil {
			return nil, fmt.Errorf("%s: subject %d: %w", d.Name, subject, err)
		}
		recs = append(recs, Recording{
			Subject: subject, Session: "0", Run: fmt.Sprintf("R%02d", run), File: rel,
		})
	}
	return recs, nil
}

func (l *eegmmidbLayout) read(d *Dataset, dir string, rec Recording) (*raw.Raw, []raw.Event, error) {
	p, err := PathIn(dir, rec.File)
	if err != nil {
		return nil, nil, err
	}
	r, err := format.Read(p)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset: %s: %w", d.Name, err)
	}
	if err := r.RenameChannels(montage.Standardize); err != nil {
		return nil, nil, fmt.Errorf("dataset: %s: %w", rec.File, err)
	}
	var ev []raw.Event
	if hasAnnotation(r.Annotations, l.marks) {
		ev, _, err = r.EventsFromAnnotations(l.marks)
		if err != nil {
			return nil, nil, fmt.Errorf("dataset: %s: %w", rec.File, err)
		}
	}
	return r, ev, nil
}

// hasAnnotation reports whether any annotation is a key of marks (a run
// without cues has no events, which is not an error).
func hasAnnotation(ann []raw.Annotation, marks map[string]int) bool {
	for _, a := range ann {
		if _, ok := marks[a.Description]; ok {
			return true
		}
	}
	return false
}

func (l *eegmmidbLayout) remote(f *fetch, d *Dataset, subject int) ([]remoteFile, error) {
	sums, err := f.sha256Sums(d.Source + "SHA256SUMS.txt")
	if err != nil {
		return nil, err
	}
	var files []remoteFile
	for _, run := range l.runs {
		rel := eegmmidbFile(subject, run)
		up := strings.TrimPrefix(rel, "eegmmidb/")
		sum, ok := sums.lookup(up)
		if !ok {
			return nil, fmt.Errorf("dataset: %s: %s has no entry in %sSHA256SUMS.txt", d.Name, up, d.Source)
		}
		files = append(files, remoteFile{
			rel: rel, url: d.Source + up, sum: checksum{algo: sha256Algo, hex: sum}, size: -1,
		})
	}
	return files, nil
}
