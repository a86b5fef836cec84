package fif

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/bcikit/bcikit/raw"
)

// chanInfo is the part of a FIF channel record the reader uses.
type chanInfo struct {
	name     string
	kind     int64
	coil     int64
	unit     int64
	rng, cal float64 // float32 in the file
}

// measInfo is the part of the measurement info the reader uses.
type measInfo struct {
	meas  *Block // the FIFFB_MEAS block
	sfreq float64
	chans []chanInfo
	date  int64 // microseconds since the Unix epoch
	dated bool  // date is set (MNE's meas_date is not None)
}

// Bounds of Python's datetime (years 1 to 9999), in microseconds from the
// Unix epoch: MNE computes with datetimes, which fail outside them.
const (
	minDatetimeUS = -62135596800 * 1000000
	maxDatetimeUS = 253402300799999999
)

// dateNone is MNE's DATE_NONE, the stamp that means "no date".
var dateNone = [2]float64{0, math.MaxInt32}

// readMeasInfo reads the measurement info as MNE's read_meas_info: the
// single FIFFB_MEAS block, its single FIFFB_MEAS_INFO block, the number of
// channels, the sampling rate, the channel records (with the extended
// channel blocks MNE writes for names longer than 15 characters) and the
// measurement date.
func (f *File) readMeasInfo() (*measInfo, error) {
	meas := f.Root.Find(blockMeas)
	switch {
	case len(meas) == 0:
		return nil, f.errorf(ErrFormat, "no measurement block (FIFFB_MEAS)")
	case len(meas) > 1:
		return nil, f.errorf(ErrFormat, "%d measurement blocks (FIFFB_MEAS), want one", len(meas))
	}
	infos := meas[0].Find(blockMeasInfo)
	switch {
	case len(infos) == 0:
		return nil, f.errorf(ErrFormat, "no measurement info block (FIFFB_MEAS_INFO)")
	case len(infos) > 1:
		return nil, f.errorf(ErrFormat, "%d measurement info blocks (FIFFB_MEAS_INFO), want one", len(infos))
	}
	block := infos[0]
	mi := &measInfo{meas: meas[0]}
	var (
		haveNChan, haveSFreq bool
		nchan                int64
		dateTag              Tag
		haveDate             bool
	)
	for _, t := range block.Tags {
		switch t.Kind {
		case kindNChan:
			n, err := f.scalarInt(t, "number of channels (FIFF_NCHAN)")
			if err != nil {
				return nil, err
			}
			nchan, haveNChan = n, true
		case kindSFreq:
			x, err := f.scalar(t, "sampling rate (FIFF_SFREQ)")
			if err != nil {
				return nil, err
			}
			mi.sfreq, haveSFreq = x, true
		case kindChInfo:
			c, err := f.chanInfo(t, len(mi.chans))
			if err != nil {
				return nil, err
			}
			mi.chans = append(mi.chans, c)
		case kindMeasDate:
			dateTag, haveDate = t, true
		}
	}
	if err := f.extendedChanInfo(block, mi.chans); err != nil {
		return nil, err
	}
	switch {
	case !haveNChan:
		return nil, f.errorf(ErrFormat, "measurement info: number of channels (FIFF_NCHAN) is not defined")
	case !haveSFreq:
		return nil, f.errorf(ErrFormat, "measurement info: sampling rate (FIFF_SFREQ) is not defined")
	case len(mi.chans) == 0:
		return nil, f.errorf(ErrFormat, "measurement info: no channel information (FIFF_CH_INFO)")
	case int64(len(mi.chans)) != nchan:
		return nil, f.errorf(ErrFormat, "measurement info: FIFF_NCHAN says %d channels, the file describes %d", nchan, len(mi.chans))
	case !(mi.sfreq > 0) || math.IsInf(mi.sfreq, 0):
		return nil, f.errorf(ErrFormat, "measurement info: sampling rate (FIFF_SFREQ) %v is not a positive number", mi.sfreq)
	}
	if err := uniqueNames(mi.chans); err != nil {
		return nil, f.errorf(ErrFormat, "measurement info: %v", err)
	}

	var err error
	if haveDate {
		mi.date, mi.dated, err = f.measDate(dateTag)
	} else {
		mi.date, mi.dated, err = f.measIDDate(mi.meas, block)
	}
	if err != nil {
		return nil, err
	}
	return mi, nil
}

// measDate decodes FIFF_MEAS_DATE: seconds and microseconds (or seconds
// alone, from old conversions).
func (f *File) measDate(t Tag) (int64, bool, error) {
	v, _, err := f.numbers(t, "measurement date (FIFF_MEAS_DATE)")
	if err != nil {
		return 0, false, err
	}
	switch len(v) {
	case 0:
		return 0, false, f.tagErrorf(t, ErrFormat, "measurement date (FIFF_MEAS_DATE): no value")
	case 1:
		v = append(v, 0)
	}
	if len(v) == 2 && v[0] == dateNone[0] && v[1] == dateNone[1] {
		return 0, false, nil
	}
	us, ok := stampMicros(v[0], v[1])
	if !ok {
		return 0, false, f.tagErrorf(t, ErrFormat, "measurement date (FIFF_MEAS_DATE): %v s %v µs is not a valid date", v[0], v[1])
	}
	return us, true, nil
}

// measIDDate is MNE's fallback when FIFF_MEAS_DATE is absent: the date of
// the measurement id, taken from the first of the info block's parent id,
// the info block's id, the measurement block's id, its parent id and the
// file id that is present.
func (f *File) measIDDate(meas, info *Block) (int64, bool, error) {
	candidates := []struct {
		b    *Block
		kind int32
	}{
		{info, kindParentBlockID}, {info, kindBlockID},
		{meas, kindBlockID}, {meas, kindParentBlockID},
		{f.Root, kindFileID},
	}
	for _, c := range candidates {
		t, ok := last(c.b, c.kind)
		if !ok {
			continue
		}
		id, err := f.id(t)
		if err != nil {
			return 0, false, err
		}
		if float64(id.secs) == dateNone[0] && float64(id.usecs) == dateNone[1] {
			return 0, false, nil
		}
		return int64(id.secs)*1000000 + int64(id.usecs), true, nil
	}
	return 0, false, nil
}

// last returns the last tag of the given kind directly in b: MNE keeps the
// last block id it meets.
func last(b *Block, kind int32) (Tag, bool) {
	for i := len(b.Tags) - 1; i >= 0; i-- {
		if b.Tags[i].Kind == kind {
			return b.Tags[i], true
		}
	}
	return Tag{}, false
}

// stampMicros converts MNE's (seconds, microseconds) stamp, truncated to
// integers as MNE's _stamp_to_dt does, to microseconds since the epoch.
func stampMicros(secs, usecs float64) (int64, bool) {
	if math.IsNaN(secs) || math.IsNaN(usecs) || math.Abs(secs) > 1e12 || math.Abs(usecs) > 1e15 {
		return 0, false
	}
	us := int64(secs)*1000000 + int64(usecs)
	return us, us >= minDatetimeUS && us <= maxDatetimeUS
}

// chanInfoSize is the size of FIF's channel info struct.
const chanInfoSize = 96

// chanInfo decodes a FIFF_CH_INFO tag: scan number, logical number, kind,
// range, calibration, coil type, 12 location values, unit, unit
// multiplier and a 16-byte name.
func (f *File) chanInfo(t Tag, index int) (chanInfo, error) {
	if t.Type != typeChInfoStruct || t.Size < chanInfoSize {
		return chanInfo{}, f.tagErrorf(t, ErrFormat, "channel %d info (FIFF_CH_INFO): want a channel info struct of %d bytes", index+1, chanInfoSize)
	}
	b, err := f.Data(t)
	if err != nil {
		return chanInfo{}, err
	}
	i32 := func(off int) int64 { return int64(int32(binary.BigEndian.Uint32(b[off:]))) }
	f32 := func(off int) float64 { return float64(math.Float32frombits(binary.BigEndian.Uint32(b[off:]))) }
	c := chanInfo{
		kind: i32(8),
		rng:  f32(12),
		cal:  f32(16),
		coil: i32(20),
		unit: i32(72),
	}
	// MNE keeps the bytes before the first NUL; a name that fills all 16
	// bytes without one comes out empty (numpy's argmax finds no NUL).
	name := b[80:96]
	n := 0
	for i, ch := range name {
		if ch == 0 {
			n = i
			break
		}
	}
	if !utf8.Valid(name[:n]) {
		return chanInfo{}, f.tagErrorf(t, ErrFormat, "channel %d info (FIFF_CH_INFO): name %q is not UTF-8", index+1, name[:n])
	}
	c.name = string(name[:n])
	return c, nil
}

// extendedChanInfo applies the FIFFB_CH_INFO blocks of the info block, one
// per channel in order, which override fields of the channel records (MNE
// writes them for channel names longer than FIF's 15 characters).
func (f *File) extendedChanInfo(info *Block, chans []chanInfo) error {
	blocks := info.Find(blockChInfo)
	if len(blocks) == 0 {
		return nil
	}
	if len(blocks) != len(chans) {
		return f.errorf(ErrFormat, "measurement info: %d extended channel blocks (FIFFB_CH_INFO) for %d channels", len(blocks), len(chans))
	}
	for i, b := range blocks {
		c := &chans[i]
		for _, t := range b.Tags {
			if t.Size == 0 { // MNE reads no data and leaves the field alone
				continue
			}
			what := fmt.Sprintf("channel %d extended info", i+1)
			switch t.Kind {
			case kindChScanNo, kindChLogicalNo, kindChUnitMul, kindChCoordFrame, kindChKind, kindChCoilType, kindChUnit:
				v, err := f.scalarInt(t, what)
				if err != nil {
					return err
				}
				switch t.Kind {
				case kindChKind:
					c.kind = v
				case kindChCoilType:
					c.coil = v
				case kindChUnit:
					c.unit = v
				}
			case kindChRange, kindChCal:
				v, err := f.scalar(t, what)
				if err != nil {
					return err
				}
				if t.Kind == kindChRange {
					c.rng = v
				} else {
					c.cal = v
				}
			case kindChLoc:
				v, _, err := f.numbers(t, what)
				if err != nil {
					return err
				}
				if len(v) != 12 {
					return f.tagErrorf(t, ErrFormat, "%s: location has %d values, want 12", what, len(v))
				}
			case kindChDacqName:
				s, err := f.str(t, what)
				if err != nil {
					return err
				}
				c.name = s
			}
		}
	}
	return nil
}

// uniqueNames renames duplicate channel names as MNE's
// _unique_channel_names: the k-th channel called X becomes X-k (or X-a,
// X-b, ... when that name is taken).
func uniqueNames(chans []chanInfo) error {
	names := make([]string, len(chans))
	count := make(map[string]int, len(chans))
	for i, c := range chans {
		names[i] = c.name
		count[c.name]++
	}
	var dups []string
	for _, n := range names {
		if count[n] > 1 && !slices.Contains(dups, n) {
			dups = append(dups, n)
		}
	}
	for _, stem := range dups {
		var idx []int
		for i, n := range names {
			if n == stem {
				idx = append(idx, i)
			}
		}
		for k, i := range idx {
			name := ""
			for s := 0; s <= 26 && name == ""; s++ {
				suffix := strconv.Itoa(k)
				if s > 0 {
					suffix = string(rune('a' + s - 1))
				}
				if n := stem + "-" + suffix; !slices.Contains(names, n) {
					name = n
				}
			}
			if name == "" {
				return fmt.Errorf("cannot make channel name %q unique", stem)
			}
			names[i] = name
		}
	}
	for i := range chans {
		chans[i].name = names[i]
	}
	return nil
}

// channelType is MNE's channel_type (mne/io/pick.py): the kind, refined by
// the unit for MEG channels and by the coil type for EEG and fNIRS ones.
func channelType(c chanInfo) (raw.ChannelType, bool) {
	switch c.kind {
	case chMEG:
		switch c.unit {
		case unitTm:
			return raw.Grad, true
		case unitT:
			return raw.Mag, true
		}
		return "", false
	case chRefMEG:
		return "ref_meg", true
	case chEEG:
		switch c.coil {
		case coilEEG, coilEEGBipolar, coilNone:
			return raw.EEG, true
		case coilEEGCSD:
			return "csd", true
		}
		return "", false
	case chStim:
		return raw.Stim, true
	case chEOG:
		return raw.EOG, true
	case chEMG:
		return raw.EMG, true
	case chECG:
		return raw.ECG, true
	case chResp:
		return raw.Resp, true
	case chMisc:
		return raw.Misc, true
	case chExci:
		return "exci", true
	case chIAS:
		return "ias", true
	case chSyst:
		return "syst", true
	case chSEEG:
		return raw.Seeg, true
	case chDBS:
		return "dbs", true
	case chBio:
		return raw.Bio, true
	case chDipole:
		return "dipole", true
	case chGoF:
		return "gof", true
	case chECoG:
		return raw.Ecog, true
	case chTemperature:
		return "temperature", true
	case chGalvanic:
		return "gsr", true
	case chFNIRS:
		switch c.coil {
		case coilFNIRSHbO:
			return "hbo", true
		case coilFNIRSHbR:
			return "hbr", true
		case coilFNIRSCWAmplitude:
			return "fnirs_cw_amplitude", true
		case coilFNIRSFDAC:
			return "fnirs_fd_ac_amplitude", true
		case coilFNIRSFDPhase:
			return "fnirs_fd_phase", true
		case coilFNIRSOD:
			return "fnirs_od", true
		}
		return "", false
	}
	if c.kind >= chQuat0 && c.kind <= chHPIMov {
		return "chpi", true
	}
	return "", false
}

// unitName names a FIF unit code as bcikit's reference fixtures do (the
// unit codes without a short name are written as numbers).
func unitName(code int64) string {
	switch code {
	case unitV:
		return raw.UnitVolt
	case unitT:
		return raw.UnitTesla
	case unitTm:
		return raw.UnitTm
	case unitNone:
		return raw.UnitNone
	case unitCel:
		return "C"
	case unitMol:
		return "M"
	}
	return strconv.FormatInt(code, 10)
}
