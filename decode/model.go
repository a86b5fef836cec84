package decode

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ModelFormat and ModelVersion identify bcikit model files.
const (
	ModelFormat  = "bcikit-model"
	ModelVersion = 1
)

// ErrModel reports a model file that cannot be used.
var ErrModel = errors.New("invalid model")

// Model is a trained pipeline with what it was trained on. Its JSON form
// is bcikit's model file (documented in docs/model-format.md):
//
//	{"format": "bcikit-model", "version": 1, "pipeline": "csp+lda",
//	 "channels": [...], "sfreq": 160, "classes": [1, 2],
//	 "class_names": {"1": "left_hand", ...}, "paradigm": {...},
//	 "trained_on": {...}, "state": {...pipeline's fitted state...}}
type Model struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	Pipeline string `json:"pipeline"`
	// Channels and SFreq are those of the training data; a model refuses
	// input with other channels or another rate.
	Channels   []string          `json:"channels"`
	SFreq      float64           `json:"sfreq"`
	Classes    []int             `json:"classes"`
	ClassNames map[string]string `json:"class_names,omitempty"`
	// Paradigm is how trials are cut from a recording (see package
	// paradigm); kept as raw JSON so this package need not know it.
	Paradigm json.RawMessage `json:"paradigm,omitempty"`
	// TrainedOn describes the training data (dataset, subjects, trials).
	TrainedOn map[string]any `json:"trained_on,omitempty"`
	// State is the fitted pipeline.
	State Pipeline `json:"-"`
}

// MarshalJSON writes the model with its pipeline's state.
func (m *Model) MarshalJSON() ([]byte, error) {
	st, err := json.Marshal(m.State)
	if err != nil {
		return nil, err
	}
	type plain Model
	return json.Marshal(struct {
		*plain
		State json.RawMessage `json:"state"`
	}{(*plain)(m), st})
}

// UnmarshalJSON reads a model file, checking its format and version and
// rebuilding the named pipeline from its state.
func (m *Model) UnmarshalJSON(b []byte) error {
	type plain Model
	var aux struct {
		*plain
		State json.RawMessage `json:"state"`
	}
	aux.plain = (*plain)(m)
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("decode: %w: %v", ErrModel, err)
	}
	if m.Format != ModelFormat {
		return fmt.Errorf("decode: %w: format %q, want %q", ErrModel, m.Format, ModelFormat)
	}
	if m.Version < 1 || m.Version > ModelVersion {
		return fmt.Errorf("decode: %w: version %d, this bcikit reads versions 1 to %d", ErrModel, m.Version, ModelVersion)
	}
	p, err := New(m.Pipeline)
	if err != nil {
		return fmt.Errorf("decode: %w: %v", ErrModel, err)
	}
	if len(aux.State) == 0 {
		return fmt.Errorf("decode: %w: no state", ErrModel)
	}
	if err := json.Unmarshal(aux.State, p); err != nil {
		return fmt.Errorf("decode: %w: state of %s: %v", ErrModel, m.Pipeline, err)
	}
	m.State = p
	return nil
}

// WriteModel writes m as indented JSON.
func WriteModel(w io.Writer, m *Model) error {
	m.Format, m.Version = ModelFormat, ModelVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(m)
}

// ReadModel reads a model file.
func ReadModel(r io.Reader) (*Model, error) {
	var m Model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// CheckInput reports, with a clear error, input whose channels or rate
// differ from the model's: channels must be the model's, in its order.
func (m *Model) CheckInput(channels []string, sfreq float64) error {
	if sfreq != m.SFreq {
		return fmt.Errorf("decode: the model was trained at %g Hz, the input is at %g Hz (resample it first)", m.SFreq, sfreq)
	}
	if !slices.Equal(channels, m.Channels) {
		var missing []string
		for _, c := range m.Channels {
			if !slices.Contains(channels, c) {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("decode: the input lacks channels the model needs: %s", strings.Join(missing, ", "))
		}
		return fmt.Errorf("decode: the input's channels differ from the model's (%d vs %d channels, or another order)", len(channels), len(m.Channels))
	}
	return nil
}
