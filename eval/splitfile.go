package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// ErrSplitFile reports a splits document that is malformed or
// inconsistent.
var ErrSplitFile = errors.New("eval: bad splits file")

// SplitsVersion is the version of the splits format that WriteSplits
// writes and ReadSplits accepts.
const SplitsVersion = 1

// Splits is the JSON document of externally given cross-validation folds
// (the CLI's --splits FILE), so that bcikit and another tool can be run on
// exactly the same folds:
//
//	{
//	  "version": 1,
//	  "splits": [
//	    {"subject": "1", "session": "0", "n_samples": 90,
//	     "folds": [{"train": [0, 1, 3, ...], "test": [2, 4, ...]}, ...]},
//	    ...
//	  ]
//	}
//
// Each entry holds the folds of one block of trials — a subject's session
// for within-session evaluation; subject (and session) may be empty when
// the folds span sessions or subjects. Indices are 0-based positions in
// that block's trials, in the order the paradigm returns them; n_samples
// is the number of those trials, and every index must be below it. Within
// a fold, train and test must not share an index, and neither may repeat
// one; folds need not cover every trial.
type Splits struct {
	Version int     `json:"version"`
	Splits  []Split `json:"splits"`
}

// Split is the folds of one block of trials (see Splits).
type Split struct {
	Subject  string `json:"subject,omitempty"`
	Session  string `json:"session,omitempty"`
	NSamples int    `json:"n_samples"`
	Folds    []Fold `json:"folds"`
}

// Find returns the split of the given subject and session.
func (s *Splits) Find(subject, session string) (Split, bool) {
	for _, sp := range s.Splits {
		if sp.Subject == subject && sp.Session == session {
			return sp, true
		}
	}
	return Split{}, false
}

// ReadSplits decodes and checks a splits document.
func ReadSplits(r io.Reader) (*Splits, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Splits
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSplitFile, err)
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return &s, nil
}

// WriteSplits checks s and writes it as JSON.
func WriteSplits(w io.Writer, s *Splits) error {
	if err := s.Check(); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(s)
}

// Check reports the first inconsistency of s: an unknown version, a
// duplicated subject/session, an index out of range or repeated, or an
// index in both train and test of a fold.
func (s *Splits) Check() error {
	if s.Version != SplitsVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrSplitFile, s.Version, SplitsVersion)
	}
	type key struct{ subject, session string }
	seen := make(map[key]bool, len(s.Splits))
	for i, sp := range s.Splits {
		k := key{sp.Subject, sp.Session}
		if seen[k] {
			return fmt.Errorf("%w: splits[%d]: subject %q session %q given twice", ErrSplitFile, i, sp.Subject, sp.Session)
		}
		seen[k] = true
		if sp.NSamples <= 0 {
			return fmt.Errorf("%w: splits[%d]: n_samples = %d", ErrSplitFile, i, sp.NSamples)
		}
		if len(sp.Folds) == 0 {
			return fmt.Errorf("%w: splits[%d]: no folds", ErrSplitFile, i)
		}
		for f, fold := range sp.Folds {
			if len(fold.Train) == 0 || len(fold.Test) == 0 {
				return fmt.Errorf("%w: splits[%d].folds[%d]: empty train or test", ErrSplitFile, i, f)
			}
			all := make([]int, 0, len(fold.Train)+len(fold.Test))
			all = append(all, fold.Train...)
			all = append(all, fold.Test...)
			slices.Sort(all)
			for j, v := range all {
				if v < 0 || v >= sp.NSamples {
					return fmt.Errorf("%w: splits[%d].folds[%d]: index %d outside [0, %d)", ErrSplitFile, i, f, v, sp.NSamples)
				}
				if j > 0 && all[j-1] == v {
					return fmt.Errorf("%w: splits[%d].folds[%d]: index %d used twice", ErrSplitFile, i, f, v)
				}
			}
		}
	}
	return nil
}
