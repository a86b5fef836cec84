package lsl

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// IrregularRate is the nominal rate of a stream whose samples come at no
// fixed rate (markers).
const IrregularRate = 0.0

// ProtocolVersion is the protocol version this package speaks, times 100
// (liblsl 1.16's LSL_PROTOCOL_VERSION).
const ProtocolVersion = 110

// MaxInfo caps the size of a stream info XML document read from the wire.
const MaxInfo = 4 << 20

// MaxChannels caps a stream's channel count.
const MaxChannels = 1 << 16

// Channel describes one channel in the info's desc/channels element, as
// the XDF meta-data conventions name them.
type Channel struct {
	Label string // desc/channels/channel/label
	Unit  string // desc/channels/channel/unit ("microvolts", ...)
	Type  string // desc/channels/channel/type ("EEG", "Markers", ...)
}

// StreamInfo describes a stream as liblsl's stream_info does: the fields
// of the info XML document that outlets publish and resolvers return.
type StreamInfo struct {
	Name         string        // name (required)
	Type         string        // content type ("EEG", "Markers", ...)
	ChannelCount int           // number of channels
	NominalSrate float64       // nominal rate in Hz, IrregularRate if none
	Format       ChannelFormat // type of the values
	SourceID     string        // unique id of the source (device), may be empty
	// Version is the protocol version of the outlet, times 100 (110).
	Version int
	// CreatedAt is the outlet's creation time on its local clock.
	CreatedAt float64
	UID       string // unique id of this outlet instance
	SessionID string // lab.SessionID of the outlet ("default")
	Hostname  string // the outlet's host name

	// Addresses and ports where the outlet serves: the address is empty
	// in what an outlet publishes; a resolver fills it with the address
	// the reply came from.
	V4Address     string
	V4DataPort    int
	V4ServicePort int
	V6Address     string
	V6DataPort    int
	V6ServicePort int

	// Channels are the channel descriptions of desc/channels (empty if the
	// info has none, as in a shortinfo reply).
	Channels []Channel

	// Desc is the desc element as parsed (nil if empty); Channels is
	// written in place of its "channels" child.
	Desc *Element
}

// Element is an XML element of a stream info document: desc's contents and
// the tree that queries are evaluated on.
type Element struct {
	Name     string
	Text     string // the element's own character data
	Children []*Element
	all      string // the string value: all descendant text, in order
}

// Child returns the first child element called name, or nil.
func (e *Element) Child(name string) *Element {
	if e == nil {
		return nil
	}
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ChildText returns the text of the first child called name ("" if none).
func (e *Element) ChildText(name string) string {
	if c := e.Child(name); c != nil {
		return c.Text
	}
	return ""
}

// Validate checks that s can be published: a name, a known channel format,
// a channel count from 1 to MaxChannels, a finite non-negative rate and at
// most ChannelCount channel descriptions.
func (s StreamInfo) Validate() error {
	switch {
	case s.Name == "":
		return fmt.Errorf("%w: empty name", ErrInfo)
	case !s.Format.valid():
		return fmt.Errorf("%w: stream %q: channel format %d", ErrInfo, s.Name, s.Format)
	case s.ChannelCount < 1 || s.ChannelCount > MaxChannels:
		return fmt.Errorf("%w: stream %q: channel count %d (want 1 to %d)", ErrInfo, s.Name, s.ChannelCount, MaxChannels)
	case !(s.NominalSrate >= 0) || math.IsInf(s.NominalSrate, 0):
		return fmt.Errorf("%w: stream %q: nominal rate %v", ErrInfo, s.Name, s.NominalSrate)
	case len(s.Channels) > s.ChannelCount:
		return fmt.Errorf("%w: stream %q: %d channel descriptions for %d channels", ErrInfo, s.Name, len(s.Channels), s.ChannelCount)
	}
	return nil
}

// ShortInfo returns the shortinfo message: the info document with an empty
// desc, as discovery replies carry it.
func (s StreamInfo) ShortInfo() []byte { return s.appendXML(nil, false) }

// FullInfo returns the fullinfo message: the info document with desc.
func (s StreamInfo) FullInfo() []byte { return s.appendXML(nil, true) }

// appendXML writes the document as liblsl's pugixml does (declaration, tab
// indentation, fields in stream_info_impl::write_xml's order, floating
// point fields with 16 significant digits and a decimal point).
func (s StreamInfo) appendXML(b []byte, full bool) []byte {
	b = append(b, "<?xml version=\"1.0\"?>\n<info>\n"...)
	field := func(name, value string) {
		b = append(b, "\t<"...)
		b = append(b, name...)
		b = append(b, '>')
		b = appendEscaped(b, value)
		b = append(b, "</"...)
		b = append(b, name...)
		b = append(b, ">\n"...)
	}
	field("name", s.Name)
	field("type", s.Type)
	field("channel_count", strconv.Itoa(s.ChannelCount))
	field("channel_format", s.Format.String())
	field("source_id", s.SourceID)
	field("nominal_srate", formatDouble(s.NominalSrate))
	field("version", formatDouble(float64(s.Version)/100))
	field("created_at", formatDouble(s.CreatedAt))
	field("uid", s.UID)
	field("session_id", s.SessionID)
	field("hostname", s.Hostname)
	field("v4address", s.V4Address)
	field("v4data_port", strconv.Itoa(s.V4DataPort))
	field("v4service_port", strconv.Itoa(s.V4ServicePort))
	field("v6address", s.V6Address)
	field("v6data_port", strconv.Itoa(s.V6DataPort))
	field("v6service_port", strconv.Itoa(s.V6ServicePort))
	desc := s.descElement()
	if !full || desc == nil || len(desc.Children) == 0 && desc.Text == "" {
		b = append(b, "\t<desc />\n"...)
	} else {
		b = appendElement(b, desc, 1)
	}
	return append(b, "</info>\n"...)
}

// descElement returns desc with Channels as its channels child.
func (s StreamInfo) descElement() *Element {
	if len(s.Channels) == 0 {
		return s.Desc
	}
	d := &Element{Name: "desc"}
	if s.Desc != nil {
		d.Text = s.Desc.Text
		for _, c := range s.Desc.Children {
			if c.Name != "channels" {
				d.Children = append(d.Children, c)
			}
		}
	}
	chs := &Element{Name: "channels"}
	for _, c := range s.Channels {
		ch := &Element{Name: "channel"}
		for _, f := range [][2]string{{"label", c.Label}, {"unit", c.Unit}, {"type", c.Type}} {
			if f[1] != "" {
				ch.Children = append(ch.Children, &Element{Name: f[0], Text: f[1]})
			}
		}
		chs.Children = append(chs.Children, ch)
	}
	d.Children = append([]*Element{chs}, d.Children...)
	return d
}

func appendElement(b []byte, e *Element, depth int) []byte {
	indent := func() {
		for range depth {
			b = append(b, '\t')
		}
	}
	indent()
	b = append(b, '<')
	b = append(b, e.Name...)
	switch {
	case len(e.Children) == 0 && e.Text == "":
		return append(b, " />\n"...)
	case len(e.Children) == 0:
		b = append(b, '>')
		b = appendEscaped(b, e.Text)
	default:
		b = append(b, ">\n"...)
		if e.Text != "" {
			depth++
			indent()
			depth--
			b = appendEscaped(b, e.Text)
			b = append(b, '\n')
		}
		for _, c := range e.Children {
			b = appendElement(b, c, depth+1)
		}
		indent()
	}
	b = append(b, "</"...)
	b = append(b, e.Name...)
	return append(b, ">\n"...)
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// formatDouble formats v as liblsl's to_string(double) does: C++'s
// setprecision(16) with showpoint, that is printf's "%#.16g".
func formatDouble(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	const prec = 16
	if v == 0 {
		return "0." + strings.Repeat("0", prec-1)
	}
	e := strconv.FormatFloat(v, 'e', prec-1, 64) // d.ddddde±XX
	i := strings.LastIndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp < -4 || exp >= prec {
		// keep the mantissa's trailing zeros; C writes at least two exponent digits
		sign := e[i+1]
		digits := e[i+2:]
		if len(digits) < 2 {
			digits = "0" + digits
		}
		return e[:i] + "e" + string(sign) + digits
	}
	f := strconv.FormatFloat(v, 'f', prec-1-exp, 64)
	if !strings.Contains(f, ".") {
		f += "."
	}
	return f
}

// ParseInfo parses a shortinfo or fullinfo message. It fails, wrapping
// ErrInfo, on malformed XML, a missing root "info" element, an empty name
// or uid, an unknown channel format, a channel count outside 0 to
// MaxChannels, a negative or non-finite rate, a version ≤ 0, ports outside
// 0 to 65535, or more channel descriptions than channels.
func ParseInfo(msg []byte) (StreamInfo, error) {
	if len(msg) > MaxInfo {
		return StreamInfo{}, fmt.Errorf("%w: %d bytes (over %d)", ErrInfo, len(msg), MaxInfo)
	}
	root, err := parseXML(msg)
	if err != nil {
		return StreamInfo{}, err
	}
	if root.Name != "info" {
		return StreamInfo{}, fmt.Errorf("%w: root element <%s>, want <info>", ErrInfo, root.Name)
	}
	var s StreamInfo
	get := func(name string) string { return strings.TrimSpace(root.ChildText(name)) }
	s.Name = root.ChildText("name")
	if s.Name == "" {
		return s, fmt.Errorf("%w: empty <name>", ErrInfo)
	}
	s.Type = root.ChildText("type")
	if s.ChannelCount, err = parseInt(get("channel_count"), "channel_count", 0, MaxChannels); err != nil {
		return s, err
	}
	if s.Format, err = ParseFormat(get("channel_format")); err != nil {
		return s, err
	}
	if s.NominalSrate, err = parseFloat(get("nominal_srate"), "nominal_srate"); err != nil {
		return s, err
	}
	if s.NominalSrate < 0 {
		return s, fmt.Errorf("%w: <nominal_srate> %v", ErrInfo, s.NominalSrate)
	}
	s.SourceID = root.ChildText("source_id")
	v, err := parseFloat(get("version"), "version")
	if err != nil {
		return s, err
	}
	if v*100 < 1 || v > 1000 {
		return s, fmt.Errorf("%w: <version> %v", ErrInfo, v)
	}
	s.Version = int(v*100 + 1e-9)
	if c := get("created_at"); c != "" {
		if s.CreatedAt, err = parseFloat(c, "created_at"); err != nil {
			return s, err
		}
	}
	s.UID = get("uid")
	if s.UID == "" {
		return s, fmt.Errorf("%w: stream %q: empty <uid>", ErrInfo, s.Name)
	}
	s.SessionID = root.ChildText("session_id")
	s.Hostname = root.ChildText("hostname")
	s.V4Address = get("v4address")
	s.V6Address = get("v6address")
	for _, p := range []struct {
		name string
		dst  *int
	}{{"v4data_port", &s.V4DataPort}, {"v4service_port", &s.V4ServicePort}, {"v6data_port", &s.V6DataPort}, {"v6service_port", &s.V6ServicePort}} {
		if *p.dst, err = parseInt(get(p.name), p.name, 0, 65535); err != nil {
			return s, err
		}
	}
	if d := root.Child("desc"); d != nil && (len(d.Children) > 0 || strings.TrimSpace(d.Text) != "") {
		s.Desc = d
		if chs := d.Child("channels"); chs != nil {
			for _, c := range chs.Children {
				if c.Name != "channel" {
					continue
				}
				s.Channels = append(s.Channels, Channel{Label: c.ChildText("label"), Unit: c.ChildText("unit"), Type: c.ChildText("type")})
			}
			if len(s.Channels) > s.ChannelCount {
				return s, fmt.Errorf("%w: stream %q: %d <channel> descriptions for %d channels", ErrInfo, s.Name, len(s.Channels), s.ChannelCount)
			}
		}
	}
	return s, nil
}

func parseInt(v, field string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%w: <%s> %q: want an integer from %d to %d", ErrInfo, field, v, lo, hi)
	}
	return n, nil
}

func parseFloat(v, field string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: <%s> %q: want a finite number", ErrInfo, field, v)
	}
	return f, nil
}

// maxDepth caps the nesting of XML elements read from the wire.
const maxDepth = 64

// parseXML parses an XML document into its root element.
func parseXML(msg []byte) (*Element, error) {
	d := xml.NewDecoder(bytes.NewReader(msg))
	d.Strict = true
	var stack []*Element
	var root *Element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: XML: %v", ErrInfo, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: XML nested over %d levels", ErrInfo, maxDepth)
			}
			e := &Element{Name: t.Name.Local}
			if t.Name.Space != "" {
				e.Name = t.Name.Space + ":" + t.Name.Local
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%w: XML: more than one root element", ErrInfo)
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("%w: XML: unexpected </%s>", ErrInfo, t.Name.Local)
			}
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].all += e.all
			}
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, fmt.Errorf("%w: XML: text outside the root element", ErrInfo)
				}
				continue
			}
			e := stack[len(stack)-1]
			s := string(t)
			if strings.TrimSpace(s) == "" {
				continue // indentation
			}
			e.Text += s
			e.all += s
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: XML: no root element", ErrInfo)
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%w: XML: <%s> not closed", ErrInfo, stack[len(stack)-1].Name)
	}
	return root, nil
}

// document returns the info as an element tree, to evaluate queries on.
func (s StreamInfo) document() (*Element, error) {
	return parseXML(s.FullInfo())
}
