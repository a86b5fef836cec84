package brainvision

import (
	"fmt"
	"strings"
)

// The .vhdr header (up to its [Comment] section) is an INI file, and MNE
// reads it with Python's configparser.ConfigParser in its default mode.
// iniFile follows that parser's rules, because they decide which headers
// open and what the values are:
//
//   - lines starting with '#' or ';' (after leading white space) are
//     comments; there are no inline comments;
//   - "key=value" and "key: value" both define an option; the key ends at
//     the first '=' or ':', keys are lower-cased, white space around keys
//     and values is dropped;
//   - a line indented deeper than its option's line continues the value
//     (joined with "\n"), so do blank lines inside a value;
//   - a repeated section or a repeated key in one section is an error, as
//     is any other line that is neither a section header nor an option;
//   - [DEFAULT] options show through in every section;
//   - on reading, "%%" stands for '%' and "%(key)s" for another option's
//     value; any other '%' is an error (BasicInterpolation).

// maxInterpolationDepth is configparser's MAX_INTERPOLATION_DEPTH.
const maxInterpolationDepth = 10

// maxInterpolated bounds an interpolated value. References can nest ten
// deep, each level repeating the next, so a short header could expand to
// terabytes (configparser would try); a value beyond this is an error.
const maxInterpolated = 1 << 20

// iniSection holds the options of one section in file order.
type iniSection struct {
	keys []string
	vals map[string]string
}

func newIniSection() *iniSection { return &iniSection{vals: make(map[string]string)} }

// iniFile is a parsed INI text.
type iniFile struct {
	defaults *iniSection
	sections map[string]*iniSection
}

// iniError is a syntax error at a line of the INI text; line counts from 1
// at the first line handed to parseINI.
type iniError struct {
	line int
	msg  string
}

func (e *iniError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// parseINI parses text as ConfigParser.read_file does. firstLine is the
// number of text's first line in the file, for error messages.
func parseINI(text string, firstLine int) (*iniFile, error) {
	f := &iniFile{defaults: newIniSection(), sections: make(map[string]*iniSection)}
	vals := make(map[*iniSection]map[string][]string)
	var (
		cur      *iniSection
		sectName string
		optName  string
		hasOpt   bool
		indent   int
		seenOpt  = make(map[[2]string]bool)
		lineNo   = func(i int) int { return firstLine + i }
	)
	for i, line := range splitLinesKeepEnds(text) {
		stripped := pyStrip(line)
		comment := strings.HasPrefix(stripped, "#") || strings.HasPrefix(stripped, ";")
		value := stripped
		if comment {
			value = ""
		}
		if value == "" {
			// Blank lines belong to a value being continued; comment
			// lines do not, and neither ends it.
			if !comment && cur != nil && hasOpt {
				vals[cur][optName] = append(vals[cur][optName], "")
			}
			continue
		}
		lineIndent := 0
		for _, r := range line {
			if !pyIsSpace(r) {
				break
			}
			lineIndent++
		}
		if cur != nil && hasOpt && lineIndent > indent {
			vals[cur][optName] = append(vals[cur][optName], value)
			continue
		}
		indent = lineIndent
		if name, ok := sectionHeader(value); ok {
			switch {
			case f.sections[name] != nil:
				return nil, &iniError{lineNo(i), fmt.Sprintf("section [%s] appears twice", name)}
			case name == "DEFAULT":
				cur = f.defaults
			default:
				cur = newIniSection()
				f.sections[name] = cur
			}
			if vals[cur] == nil {
				vals[cur] = make(map[string][]string)
			}
			sectName, hasOpt = name, false
			continue
		}
		if cur == nil {
			return nil, &iniError{lineNo(i), fmt.Sprintf("%q before the first [section]", value)}
		}
		eq := strings.IndexAny(value, "=:")
		if eq <= 0 {
			return nil, &iniError{lineNo(i), fmt.Sprintf("%q is neither a [section] nor a key=value line", value)}
		}
		key := strings.ToLower(pyRstrip(value[:eq]))
		if seenOpt[[2]string{sectName, key}] {
			return nil, &iniError{lineNo(i), fmt.Sprintf("key %q appears twice in [%s]", key, sectName)}
		}
		seenOpt[[2]string{sectName, key}] = true
		cur.keys = append(cur.keys, key)
		vals[cur][key] = []string{pyStrip(value[eq+1:])}
		optName, hasOpt = key, true
	}
	for s, v := range vals {
		for k, lines := range v {
			s.vals[k] = pyRstrip(strings.Join(lines, "\n"))
		}
	}
	return f, nil
}

// sectionHeader matches configparser's SECTCRE, `\[(?P<header>.+)\]`,
// applied with re.match: the name runs from the first '[' to the last ']'.
func sectionHeader(value string) (string, bool) {
	if !strings.HasPrefix(value, "[") {
		return "", false
	}
	end := strings.LastIndexByte(value, ']')
	if end < 2 {
		return "", false
	}
	return value[1:end], true
}

// hasSection reports whether the file has the named section ([DEFAULT]
// does not count, as in configparser).
func (f *iniFile) hasSection(name string) bool { return f.sections[name] != nil }

// lookup returns an option's raw value: the section's, else [DEFAULT]'s.
func (f *iniFile) lookup(s *iniSection, key string) (string, bool) {
	if v, ok := s.vals[key]; ok {
		return v, true
	}
	v, ok := f.defaults.vals[key]
	return v, ok
}

// iniMissing is a section or key that get or items could not find.
type iniMissing struct{ section, key string }

func (e *iniMissing) Error() string {
	if e.key == "" {
		return fmt.Sprintf("no [%s] section", e.section)
	}
	return fmt.Sprintf("no %s in [%s]", e.key, e.section)
}

// get returns the interpolated value of key in section (configparser's
// get). key is matched case-insensitively.
func (f *iniFile) get(section, key string) (string, error) {
	s := f.sections[section]
	if s == nil {
		return "", &iniMissing{section: section}
	}
	v, ok := f.lookup(s, strings.ToLower(key))
	if !ok {
		return "", &iniMissing{section: section, key: key}
	}
	return f.interpolate(s, v)
}

// iniItem is one key=value pair of a section.
type iniItem struct{ key, value string }

// items returns the options of section with [DEFAULT]'s first, values
// interpolated, as configparser's items(section).
func (f *iniFile) items(section string) ([]iniItem, error) {
	s := f.sections[section]
	if s == nil {
		return nil, &iniMissing{section: section}
	}
	keys := append([]string(nil), f.defaults.keys...)
	for _, k := range s.keys {
		if _, ok := f.defaults.vals[k]; !ok {
			keys = append(keys, k)
		}
	}
	out := make([]iniItem, len(keys))
	for i, k := range keys {
		raw, _ := f.lookup(s, k)
		v, err := f.interpolate(s, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[i] = iniItem{k, v}
	}
	return out, nil
}

// interpolate expands "%%" and "%(key)s" in v as BasicInterpolation does.
func (f *iniFile) interpolate(s *iniSection, v string) (string, error) {
	if !strings.Contains(v, "%") {
		return v, nil
	}
	var b strings.Builder
	if err := f.interpolateInto(&b, s, v, 1); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (f *iniFile) interpolateInto(b *strings.Builder, s *iniSection, rest string, depth int) error {
	if depth > maxInterpolationDepth {
		return fmt.Errorf("%%(...)s references nest deeper than %d", maxInterpolationDepth)
	}
	for rest != "" {
		if b.Len() > maxInterpolated {
			return fmt.Errorf("%%(...)s references expand beyond %d bytes", maxInterpolated)
		}
		p := strings.IndexByte(rest, '%')
		if p < 0 {
			b.WriteString(rest)
			return nil
		}
		b.WriteString(rest[:p])
		rest = rest[p:]
		switch {
		case strings.HasPrefix(rest, "%%"):
			b.WriteByte('%')
			rest = rest[2:]
		case strings.HasPrefix(rest, "%("):
			end := strings.IndexByte(rest, ')')
			if end < 3 || !strings.HasPrefix(rest[end:], ")s") {
				return fmt.Errorf("bad %%(...)s reference in %q", rest)
			}
			name := strings.ToLower(rest[2:end])
			rest = rest[end+2:]
			v, ok := f.lookup(s, name)
			if !ok {
				return fmt.Errorf("%%(%s)s refers to a key that does not exist", name)
			}
			if strings.Contains(v, "%") {
				if err := f.interpolateInto(b, s, v, depth+1); err != nil {
					return err
				}
			} else {
				b.WriteString(v)
			}
			if b.Len() > maxInterpolated {
				return fmt.Errorf("%%(...)s references expand beyond %d bytes", maxInterpolated)
			}
		default:
			return fmt.Errorf("'%%' must be followed by '%%' or '(' (write %%%% for a percent sign), found %q", rest)
		}
	}
	return nil
}
