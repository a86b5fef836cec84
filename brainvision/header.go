package brainvision

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// Header is what a .vhdr file says about a recording, after the same
// interpretation MNE-Python applies (see the package documentation).
type Header struct {
	// Version is the header format version from the first line, 1 or 2.
	Version int
	// Codepage names the encoding the header text was decoded with:
	// "UTF-8", "UTF-8-sig", "Latin-1", "cp1252" or "ASCII". A header that
	// is not valid in its declared Codepage (UTF-8 when none is
	// declared) is read as Latin-1, as MNE does.
	Codepage string
	// DataFile and MarkerFile are the paths of the data and marker files,
	// resolved against the header's directory.
	DataFile, MarkerFile string
	// DataFormat is "BINARY" or "ASCII".
	DataFormat string
	// BinaryFormat is INT_16, INT_32 or IEEE_FLOAT_32; "" for ASCII data.
	BinaryFormat string
	// Orientation is MULTIPLEXED (samples of all channels interleaved) or
	// VECTORIZED (all samples of one channel, then the next).
	Orientation string
	// SamplingInterval is the time between samples in microseconds.
	SamplingInterval float64
	// DataPoints is the number of samples the header declares, or -1
	// when it declares none or an unreadable one. The reader, like MNE,
	// takes the number of samples from the data file's size.
	DataPoints int64
	// Channels lists the channels in data-file order.
	Channels []ChannelInfo
}

// ChannelInfo is one entry of the [Channel Infos] section.
type ChannelInfo struct {
	// Name is the channel name, with the "\1" escape turned back into a
	// comma.
	Name string
	// Reference is the reference channel name (often empty).
	Reference string
	// Resolution is the value of one digital step in Unit; 1 when the
	// field is empty.
	Resolution float64
	// Unit is the unit of Resolution as written ("µV" when the field is
	// missing or empty).
	Unit string
}

// header is a parsed .vhdr with what the reader derives from it.
type header struct {
	Header
	path       string
	sfreq      float64
	channels   []raw.Channel // Name, Type, Unit; SFreq is set by Open
	scale      []float64     // digital value to SI unit, MNE's cal*range
	sampleSize int           // bytes per sample; 0 for ASCII data
	skipLines  int64         // ASCII: header lines before the samples
	commaDec   bool          // ASCII: ',' is the decimal symbol
}

// Default EOG channel names of mne.io.read_raw_brainvision.
var eogNames = map[string]bool{"HEOGL": true, "HEOGR": true, "VEOGb": true}

// unitScale is MNE's _unit_dict: SI factor of each unit name; unknown
// units scale by 1.
var unitScale = map[string]float64{
	"V": 1, "µV": 1e-6, "uV": 1e-6, "mV": 1e-3, "nV": 1e-9,
	"C": 1, "°C": 1, "n/a": 1, "µS": 1e-6, "uS": 1e-6, "ARU": 1, "S": 1, "N": 1,
}

// voltUnits are the units that keep a channel EEG; any other unit makes it
// a misc channel, as MNE's misc="auto".
var voltUnits = map[string]bool{"V": true, "mV": true, "µV": true, "uV": true, "nV": true}

const unitCelsius = "C" // MNE's FIFF_UNIT_CEL; raw has no constant for it

var binaryFormats = map[string]int{"INT_16": 2, "INT_32": 4, "IEEE_FLOAT_32": 4}

// magicRE matches the first line of a header or marker file, as MNE's
// _check_bv_version.
func magicRE(kind string, version int) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`Brain ?Vision( Core| V-Amp)? Data( Exchange)? %s File,? Version %d\.0`, kind, version))
}

var (
	headerMagic = [2]*regexp.Regexp{magicRE("Header", 1), magicRE("Header", 2)}
	markerMagic = [2]*regexp.Regexp{magicRE("Marker", 1), magicRE("Marker", 2)}
	chKeyRE     = regexp.MustCompile(`ch(\p{Nd}+)`)
)

// checkMagic returns the version a first line declares, or 0.
func checkMagic(line string, res [2]*regexp.Regexp) int {
	for i, re := range res {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return 0
}

// headerError builds an ErrHeader error naming the file and the field.
func headerError(path, field, format string, args ...any) error {
	return fmt.Errorf("brainvision: %s: %s: %s: %w", path, field, fmt.Sprintf(format, args...), ErrHeader)
}

// unsupported builds an ErrUnsupported error.
func unsupported(path, field, format string, args ...any) error {
	return fmt.Errorf("brainvision: %s: %s: %s: %w", path, field, fmt.Sprintf(format, args...), ErrUnsupported)
}

// parseHeader interprets the bytes of a .vhdr file. path is the file's
// absolute path: data and marker file names are resolved against its
// directory, and errors name it.
func parseHeader(b []byte, path string) (*header, error) {
	first, rest := b, []byte(nil)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first, rest = b[:i+1], b[i+1:]
	}
	magic := pyStrip(asciiOnly(first))
	h := &header{path: path}
	h.Version = checkMagic(magic, headerMagic)
	if h.Version == 0 {
		return nil, headerError(path, "first line", "%q is not \"Brain Vision Data Exchange Header File Version 1.0\" or 2.0", clip(magic))
	}

	name := "utf-8"
	if m := codepageRE.FindStringSubmatch(asciiOnly(rest)); m != nil {
		name = pyStrip(m[1])
	}
	cp, ok := lookupCodec(name)
	if !ok {
		return nil, unsupported(path, "Codepage", "encoding %q (this reader decodes UTF-8, Latin-1, ANSI/cp1252 and ASCII)", clip(name))
	}
	text, used := decodeText(rest, cp)
	h.Codepage = used.String()

	params := text
	switch n := strings.Count(text, "[Comment]"); {
	case n == 1:
		params = text[:strings.Index(text, "[Comment]")]
	case n > 1:
		return nil, headerError(path, "[Comment]", "appears %d times; MNE accepts it once", n)
	}
	ini, err := parseINI(params, 2)
	if err != nil {
		return nil, headerError(path, "syntax", "%v", err)
	}
	ci := "Common Infos"
	if !ini.hasSection(ci) {
		ci = "Common infos" // NeurOne export, as MNE
	}
	if !ini.hasSection(ci) {
		return nil, headerError(path, "[Common Infos]", "section missing")
	}
	if err := h.common(ini, ci); err != nil {
		return nil, err
	}
	if err := h.channelInfos(ini, ci); err != nil {
		return nil, err
	}
	return h, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}

// common reads the [Common Infos] section ci and the format sections.
func (h *header) common(ini *iniFile, ci string) error {
	get := func(section, key string) (string, error) {
		v, err := ini.get(section, key)
		if err != nil {
			return "", headerError(h.path, "["+section+"] "+key, "%v", err)
		}
		return v, nil
	}

	v, err := get(ci, "SamplingInterval")
	if err != nil {
		return err
	}
	si, err := pyFloat(v)
	if err != nil {
		return headerError(h.path, "[Common Infos] SamplingInterval", "%q: %v", clip(v), err)
	}
	h.SamplingInterval = si
	h.sfreq = 1e6 / si
	if si == 0 || !(h.sfreq > 0) || math.IsInf(h.sfreq, 0) {
		return headerError(h.path, "[Common Infos] SamplingInterval", "%q µs does not give a positive finite sampling rate", clip(v))
	}

	if h.Orientation, err = get(ci, "DataOrientation"); err != nil {
		return err
	}
	if h.Orientation != "MULTIPLEXED" && h.Orientation != "VECTORIZED" {
		return unsupported(h.path, "[Common Infos] DataOrientation", "%q (want MULTIPLEXED or VECTORIZED)", clip(h.Orientation))
	}
	if h.DataFormat, err = get(ci, "DataFormat"); err != nil {
		return err
	}
	if h.DataFormat == "BINARY" {
		if h.BinaryFormat, err = get("Binary Infos", "BinaryFormat"); err != nil {
			return err
		}
		if h.sampleSize = binaryFormats[h.BinaryFormat]; h.sampleSize == 0 {
			return unsupported(h.path, "[Binary Infos] BinaryFormat", "%q (MNE reads INT_16, INT_32 and IEEE_FLOAT_32)", clip(h.BinaryFormat))
		}
	} else {
		// MNE treats every DataFormat other than BINARY as ASCII.
		if h.Orientation == "VECTORIZED" {
			return unsupported(h.path, "[Common Infos] DataOrientation", "ASCII data in VECTORIZED order")
		}
		if err := h.asciiInfos(ini); err != nil {
			return err
		}
	}

	for _, f := range []struct {
		key string
		dst *string
	}{{"DataFile", &h.DataFile}, {"MarkerFile", &h.MarkerFile}} {
		v, err := get(ci, f.key)
		if err != nil {
			return err
		}
		if v == "" {
			return headerError(h.path, "[Common Infos] "+f.key, "empty file name")
		}
		if !filepath.IsAbs(v) {
			v = filepath.Join(filepath.Dir(h.path), v)
		}
		*f.dst = v
	}

	// MNE parses DataPoints only for VECTORIZED files (and then takes
	// the number of samples from the file size anyway); it is kept here
	// to detect a truncated VECTORIZED file.
	h.DataPoints = -1
	if _, ok := ini.lookup(ini.sections[ci], "datapoints"); ok {
		v, err := get(ci, "DataPoints")
		if err != nil && h.Orientation == "VECTORIZED" {
			return err
		}
		n, perr := pyInt(v)
		if perr == errRange { // beyond int64; Python's int takes it
			n, perr = math.MaxInt64, nil
			if strings.HasPrefix(pyStrip(v), "-") {
				n = -1
			}
		}
		switch {
		case err == nil && perr == nil && n >= 0:
			h.DataPoints = n
		case err == nil && perr != nil && h.Orientation == "VECTORIZED":
			return headerError(h.path, "[Common Infos] DataPoints", "%q is not an integer", clip(v))
		}
	}
	return nil
}

// asciiInfos reads [ASCII Infos]: SkipLines (required by MNE) and
// DecimalSymbol.
func (h *header) asciiInfos(ini *iniFile) error {
	items, err := ini.items("ASCII Infos")
	if err != nil {
		return headerError(h.path, "[ASCII Infos]", "%v", err)
	}
	skip := ""
	found := false
	for _, it := range items {
		switch it.key {
		case "skiplines":
			skip, found = it.value, true
		case "decimalsymbol":
			h.commaDec = it.value != "."
		}
	}
	if !found {
		return headerError(h.path, "[ASCII Infos] SkipLines", "missing")
	}
	n, err := pyInt(skip)
	if err != nil {
		return headerError(h.path, "[ASCII Infos] SkipLines", "%q: %v", clip(skip), err)
	}
	h.skipLines = n
	return nil
}

// channelInfos reads NumberOfChannels (from section ci), [Channel Infos]
// and [Coordinates] and derives the channel types, units and scales as
// MNE does.
func (h *header) channelInfos(ini *iniFile, ci string) error {
	v, err := ini.get(ci, "NumberOfChannels")
	if err != nil {
		return headerError(h.path, "[Common Infos] NumberOfChannels", "%v", err)
	}
	nchan, err := pyInt(v)
	if err != nil {
		return headerError(h.path, "[Common Infos] NumberOfChannels", "%q: %v", clip(v), err)
	}
	items, err := ini.items("Channel Infos")
	if err != nil {
		return headerError(h.path, "[Channel Infos]", "%v", err)
	}
	// Every channel needs an entry, so a count above the number of
	// entries is an error, and nothing is allocated from the count alone.
	if nchan <= 0 || nchan > int64(len(items)) {
		return headerError(h.path, "[Common Infos] NumberOfChannels", "%d, but [Channel Infos] has %d entries", nchan, len(items))
	}
	n := int(nchan)
	h.Channels = make([]ChannelInfo, n)
	filled := make([]bool, n)
	keyName := make(map[string]string, len(items)) // MNE's ch_dict
	miscUnit := make(map[string]string)            // MNE's misc_chs
	for _, it := range items {
		field := "[Channel Infos] " + it.key
		m := chKeyRE.FindStringSubmatch(it.key)
		if m == nil {
			return headerError(h.path, field, "key is not Ch<number>")
		}
		num, err := pyInt(m[1])
		if err != nil {
			return headerError(h.path, field, "channel number out of range")
		}
		// Python list indexing, as MNE's ch_names[n-1] = name: Ch0 is
		// the last channel, later entries overwrite earlier ones.
		idx := num - 1
		if idx < -nchan || idx >= nchan {
			return headerError(h.path, field, "channel number %d is outside 1..NumberOfChannels=%d", num, nchan)
		}
		if idx < 0 {
			idx += nchan
		}
		props := strings.Split(it.value, ",")
		switch {
		case len(props) < 3:
			return headerError(h.path, field, "%q: want <name>,<reference>,<resolution>[,<unit>]", clip(it.value))
		case len(props) == 3:
			props = append(props, "µV")
		case props[3] == "":
			props[3] = "µV"
		}
		c := ChannelInfo{
			Name:       strings.ReplaceAll(props[0], `\1`, ","),
			Reference:  strings.ReplaceAll(props[1], `\1`, ","),
			Resolution: 1,
			Unit:       strings.ReplaceAll(props[3], "\u00c2", ""),
		}
		if props[2] != "" {
			if c.Resolution, err = pyFloat(props[2]); err != nil {
				return headerError(h.path, field, "resolution %q: %v", clip(props[2]), err)
			}
		}
		if math.IsNaN(c.Resolution) {
			return headerError(h.path, field, "resolution is NaN")
		}
		keyName[it.key] = c.Name
		if !voltUnits[c.Unit] {
			miscUnit[c.Name] = raw.UnitNone
			if c.Unit == "C" {
				miscUnit[c.Name] = unitCelsius
			}
		}
		h.Channels[idx] = c
		filled[idx] = true
	}
	for i, ok := range filled {
		if !ok {
			return headerError(h.path, "[Channel Infos]", "no entry for channel %d of NumberOfChannels=%d", i+1, n)
		}
	}

	misc := make(map[string]bool, len(miscUnit))
	for name := range miscUnit {
		misc[name] = true
	}
	var montage map[string]bool
	if ini.hasSection("Coordinates") {
		coords, err := ini.items("Coordinates")
		if err != nil {
			return headerError(h.path, "[Coordinates]", "%v", err)
		}
		montage = make(map[string]bool, len(coords))
		var toMisc []string
		for _, it := range coords {
			field := "[Coordinates] " + it.key
			name, ok := keyName[it.key]
			if !ok {
				return headerError(h.path, field, "no such key in [Channel Infos]")
			}
			parts := strings.Split(it.value, ",")
			if len(parts) != 3 {
				return headerError(h.path, field, "%q: want <radius>,<theta>,<phi>", clip(it.value))
			}
			var sph [3]float64
			for k, p := range parts {
				if sph[k], err = pyFloat(p); err != nil {
					return headerError(h.path, field, "%q: %v", clip(p), err)
				}
			}
			montage[name] = true
			// MNE makes a channel misc when its position is the
			// origin: _sph_to_cart gives (0, 0, 0).
			if atOrigin(sph) && !eogNames[name] && !misc[name] {
				toMisc = append(toMisc, name)
			}
		}
		for _, name := range toMisc {
			misc[name] = true
		}
	}

	h.channels = make([]raw.Channel, n)
	h.scale = make([]float64, n)
	seen := make(map[string]bool, n)
	for i, c := range h.Channels {
		ch := raw.Channel{Name: c.Name}
		switch {
		case eogNames[c.Name]:
			ch.Type, ch.Unit = raw.EOG, raw.UnitVolt
		case misc[c.Name]:
			ch.Type, ch.Unit = raw.Misc, raw.UnitNone
			if u, ok := miscUnit[c.Name]; ok {
				ch.Unit = u
			}
		case c.Name == "STI 014":
			ch.Type, ch.Unit = raw.Stim, raw.UnitNone
		default:
			ch.Type, ch.Unit = raw.EEG, raw.UnitVolt
		}
		if seen[c.Name] {
			return headerError(h.path, "[Channel Infos]", "channel name %q appears twice", c.Name)
		}
		seen[c.Name] = true
		if montage != nil && ch.Type == raw.EEG && !montage[c.Name] {
			return headerError(h.path, "[Coordinates]", "no position for EEG channel %q (MNE refuses a montage missing EEG channels)", c.Name)
		}
		u, ok := unitScale[c.Unit]
		if !ok {
			u = 1
		}
		h.scale[i] = u * c.Resolution
		if h.scale[i] == 0 {
			return headerError(h.path, "[Channel Infos] ch"+fmt.Sprint(i+1), "resolution %g %s scales every sample to zero", c.Resolution, c.Unit)
		}
		h.channels[i] = ch
	}
	return nil
}

// atOrigin reports whether MNE's _sph_to_cart puts (radius, theta, phi) in
// degrees at the origin, computing the same products.
func atOrigin(sph [3]float64) bool {
	r := sph[0]
	if r == 1 {
		r *= 0.095 * 1000 // HEAD_SIZE_DEFAULT in mm
	}
	pol := sph[1] * (math.Pi / 180)
	az := sph[2] * (math.Pi / 180)
	z := r * math.Cos(pol)
	xy := r * math.Sin(pol)
	x := xy * math.Cos(az)
	y := xy * math.Sin(az)
	return x == 0 && y == 0 && z == 0
}
