package format

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/bcikit/bcikit/internal/atomicfile"
	"github.com/bcikit/bcikit/raw"
)

// Selection picks part of a recording: some channels and a time span.
type Selection struct {
	// Channels names the channels to keep, in order; nil keeps all.
	Channels []string
	// TMin and TMax bound the span in seconds from the first sample,
	// both included as in MNE's crop. TMax = +Inf means the end.
	TMin, TMax float64
}

// All selects the whole recording.
var All = Selection{TMax: math.Inf(1)}

// span resolves s against a header to channel indices and a sample range
// [i0, i1).
func (s Selection) span(info *raw.Info) (chans []int, i0, i1 int, err error) {
	if s.Channels == nil {
		for i := range info.Channels {
			chans = append(chans, i)
		}
	} else {
		seen := map[int]bool{}
		for _, n := range s.Channels {
			i := info.Index(n)
			if i < 0 {
				return nil, 0, 0, fmt.Errorf("unknown channel %q (channels: %s)", n, strings.Join(info.ChannelNames(), ", "))
			}
			if seen[i] {
				return nil, 0, 0, fmt.Errorf("channel %q selected twice", n)
			}
			seen[i] = true
			chans = append(chans, i)
		}
	}
	last := float64(info.NSamples-1) / info.SFreq
	switch {
	case info.NSamples == 0:
		return nil, 0, 0, fmt.Errorf("the recording has no samples")
	case math.IsNaN(s.TMin) || s.TMin < 0:
		return nil, 0, 0, fmt.Errorf("tmin=%g: must be >= 0", s.TMin)
	case math.IsNaN(s.TMax) || s.TMax < s.TMin:
		return nil, 0, 0, fmt.Errorf("tmax=%g: must be >= tmin=%g", s.TMax, s.TMin)
	case s.TMin > last:
		return nil, 0, 0, fmt.Errorf("tmin=%g s: the recording ends at %g s", s.TMin, last)
	case !math.IsInf(s.TMax, 1) && s.TMax > last+0.5/info.SFreq:
		return nil, 0, 0, fmt.Errorf("tmax=%g s: the recording ends at %g s", s.TMax, last)
	}
	i0 = int(math.Round(s.TMin * info.SFreq))
	i1 = info.NSamples
	if !math.IsInf(s.TMax, 1) {
		i1 = min(int(math.Round(s.TMax*info.SFreq))+1, info.NSamples)
	}
	return chans, i0, i1, nil
}

// ReadSelection loads the selected part of the recording r as a Raw whose
// annotations are clipped to the span as raw.Raw.Crop does and whose
// FirstSample accounts for the cut.
func ReadSelection(r raw.Reader, s Selection) (*raw.Raw, error) {
	info := r.Info()
	chans, i0, i1, err := s.span(info)
	if err != nil {
		return nil, err
	}
	all := raw.NewData(len(info.Channels), i1-i0)
	if err := r.ReadAt(all, i0); err != nil {
		return nil, err
	}
	out := &raw.Raw{Info: *info}
	out.Channels = make([]raw.Channel, len(chans))
	out.Data = make([][]float64, len(chans))
	for k, i := range chans {
		out.Channels[k] = info.Channels[i]
		out.Data[k] = all[i]
	}
	out.FirstSample = info.FirstSample + i0
	out.NSamples = i1 - i0
	out.Annotations = raw.ClipAnnotations(info.Annotations, &out.Info)
	return out, nil
}

// csvWindow is the number of samples converted at a time: CSV output of
// any length is written in constant memory.
const csvWindow = 1 << 14

// Convert writes the selected part of the recording in to the file out, in
// the format out's extension names (see Create). CSV output is streamed
// window by window; EDF/BDF output loads the selection first. The time
// column of CSV output counts from the recording's first sample, so a
// selection starting at tmin starts at tmin. EDF/BDF output starts at the
// selection: its start time and annotation onsets are moved accordingly.
func Convert(in, out string, s Selection) error {
	r, err := Open(in)
	if err != nil {
		return err
	}
	defer r.Close()
	if strings.ToLower(filepath.Ext(out)) != ".csv" {
		sel, err := ReadSelection(r, s)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		sel.Rebase()
		return Create(out, sel)
	}
	info := r.Info()
	chans, i0, i1, err := s.span(info)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	picked := make([]raw.Channel, len(chans))
	for k, i := range chans {
		picked[k] = info.Channels[i]
	}
	return atomicfile.Write(out, func(w io.Writer) error {
		cw, err := NewCSVWriter(w, picked, info.SFreq, i0)
		if err != nil {
			return err
		}
		all := raw.NewData(len(info.Channels), min(csvWindow, i1-i0))
		sel := make([][]float64, len(chans))
		for start := i0; start < i1; start += csvWindow {
			n := min(csvWindow, i1-start)
			for c := range all {
				all[c] = all[c][:n]
			}
			if err := r.ReadAt(all, start); err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			for k, i := range chans {
				sel[k] = all[i]
			}
			if err := cw.WriteWindow(sel); err != nil {
				return err
			}
		}
		return cw.Flush()
	})
}
