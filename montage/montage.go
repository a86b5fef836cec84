package montage

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// HeadSize is MNE's HEAD_SIZE_DEFAULT, the radius in metres that ReadELC
// can scale a montage to.
const HeadSize = 0.095

// Montage is a set of named electrode positions in metres (x right, y
// front, z up, head-centred).
type Montage struct {
	Names     []string
	Positions [][3]float64
	index     map[string]int // lower-cased name → position in Names
}

// Position returns the position of the electrode called name; the lookup
// ignores case.
func (m *Montage) Position(name string) ([3]float64, bool) {
	i, ok := m.index[strings.ToLower(name)]
	if !ok {
		return [3]float64{}, false
	}
	return m.Positions[i], true
}

// Name returns the montage's own spelling of name (case-insensitive
// match), or "" if it has no such electrode.
func (m *Montage) Name(name string) string {
	if i, ok := m.index[strings.ToLower(name)]; ok {
		return m.Names[i]
	}
	return ""
}

// fiducials are the landmark points of ASA files, not electrodes.
var fiducials = []string{"Nz", "LPA", "RPA"}

// ReadELC reads an ASA .elc electrode file. If headSize > 0 the positions
// are scaled so that their median distance from the origin (fiducials
// included, as MNE computes it) is headSize; otherwise they are returned in
// metres as written. The fiducials Nz, LPA and RPA are left out.
func ReadELC(r io.Reader, headSize float64) (*Montage, error) {
	sc := bufio.NewScanner(r)
	scale := 0.0
	state := 0 // 0 header, 1 positions, 2 labels
	var pos [][3]float64
	var names []string
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		switch state {
		case 0:
			if f := strings.Fields(t); len(f) == 2 && f[0] == "UnitPosition" {
				switch f[1] {
				case "mm":
					scale = 1e-3
				case "m":
					scale = 1
				default:
					return nil, fmt.Errorf("montage: elc line %d: unknown UnitPosition %q", line, f[1])
				}
			}
			if t == "Positions" {
				state = 1
			}
		case 1:
			if t == "Labels" {
				state = 2
				continue
			}
			// Some files write "label : x y z"; keep the numbers.
			if k := strings.IndexByte(t, ':'); k >= 0 {
				t = t[k+1:]
			}
			f := strings.Fields(t)
			if len(f) != 3 {
				return nil, fmt.Errorf("montage: elc line %d: want 3 coordinates, got %q", line, t)
			}
			var p [3]float64
			for i := range p {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return nil, fmt.Errorf("montage: elc line %d: %w", line, err)
				}
				p[i] = v
			}
			pos = append(pos, p)
		case 2:
			if t == "" {
				state = 3
				continue
			}
			names = append(names, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("montage: elc: %w", err)
	}
	if scale == 0 {
		return nil, fmt.Errorf("montage: elc: no UnitPosition line")
	}
	if len(names) != len(pos) || len(pos) == 0 {
		return nil, fmt.Errorf("montage: elc: %d labels for %d positions", len(names), len(pos))
	}
	for i := range pos {
		for k := range pos[i] {
			pos[i][k] *= scale
		}
	}
	if headSize > 0 {
		norms := make([]float64, len(pos))
		for i, p := range pos {
			norms[i] = math.Sqrt(p[0]*p[0] + p[1]*p[1] + p[2]*p[2])
		}
		s := headSize / median(norms)
		for i := range pos {
			for k := range pos[i] {
				pos[i][k] *= s
			}
		}
	}
	m := &Montage{index: make(map[string]int)}
	for i, n := range names {
		if slices.Contains(fiducials, n) {
			continue
		}
		if _, dup := m.index[strings.ToLower(n)]; dup {
			return nil, fmt.Errorf("montage: elc: electrode %q listed twice", n)
		}
		m.index[strings.ToLower(n)] = len(m.Names)
		m.Names = append(m.Names, n)
		m.Positions = append(m.Positions, pos[i])
	}
	return m, nil
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

//go:embed standard_1005.elc
var standard1005ELC string

var standard1005 = sync.OnceValue(func() *Montage {
	// MNE's head_size="auto" leaves "standard_*" montages unscaled.
	m, err := ReadELC(strings.NewReader(standard1005ELC), 0)
	if err != nil {
		panic("montage: embedded standard_1005.elc: " + err.Error())
	}
	return m
})

// Standard1005 returns the 10-05 montage (343 electrodes). The returned
// value is shared: do not modify it.
func Standard1005() *Montage { return standard1005() }

// Standardize cleans up a channel label so that it matches the 10-05
// spelling when it names a 10-05 electrode:
//   - surrounding dots and spaces are removed (EEGMMIDB pads "C3.." and "Fc5."),
//   - an "EEG " prefix and a reference suffix ("-REF", "-Ref", "-LE", "-AVG") are removed,
//   - the case is taken from the 10-05 list ("FC5", "Fp1", "Cz", "AFz").
//
// Labels that are not 10-05 electrodes fall back to MNE's
// eegbci.standardize rule (upper case, "FP" → "Fp", trailing "Z" → "z").
func Standardize(name string) string {
	s := strings.Trim(name, ". ")
	if u := strings.ToUpper(s); strings.HasPrefix(u, "EEG ") || strings.HasPrefix(u, "EEG-") {
		s = strings.TrimSpace(s[4:])
	}
	for _, suf := range []string{"-REF", "-LE", "-AVG", "-AR"} {
		if len(s) > len(suf) && strings.EqualFold(s[len(s)-len(suf):], suf) {
			s = s[:len(s)-len(suf)]
			break
		}
	}
	if n := Standard1005().Name(s); n != "" {
		return n
	}
	s = strings.ToUpper(strings.Trim(name, "."))
	if strings.HasSuffix(s, "Z") {
		s = s[:len(s)-1] + "z"
	}
	if strings.HasPrefix(s, "FP") {
		s = "Fp" + s[2:]
	}
	return s
}
