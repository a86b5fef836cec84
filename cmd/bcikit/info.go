package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
)

func init() {
	register(&command{
		name:    "info",
		summary: "Print the header of a recording (channels, rate, length, annotations).",
		usage:   "[--json] FILE",
		run:     runInfo,
	})
}

// infoJSON is the documented --json output of "bcikit info".
type infoJSON struct {
	Format      string           `json:"format"`
	NChannels   int              `json:"n_channels"`
	SFreq       float64          `json:"sfreq"`
	NSamples    int              `json:"n_samples"`
	DurationS   float64          `json:"duration_s"`
	MeasDate    *string          `json:"meas_date"`
	FirstSample int              `json:"first_sample"`
	Channels    []channelJSON    `json:"channels"`
	Annotations []annotationJSON `json:"annotations"`
}

type channelJSON struct {
	Name  string  `json:"name"`
	Type  string  `json:"type"`
	Unit  string  `json:"unit"`
	SFreq float64 `json:"sfreq"`
}

type annotationJSON struct {
	Onset       float64 `json:"onset"`
	Duration    float64 `json:"duration"`
	Description string  `json:"description"`
}

func runInfo(args []string, stdout io.Writer) error {
	c := commands["info"]
	fs := newFlags(c, stdout)
	asJSON := fs.Bool("json", false, "print one JSON object instead of the human summary")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	path, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	r, err := format.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	info := r.Info()
	if *asJSON {
		return writeInfoJSON(stdout, info)
	}
	return writeInfoText(stdout, path, info)
}

func measDate(info *raw.Info) *string {
	if info.MeasDate.IsZero() {
		return nil
	}
	s := info.MeasDate.UTC().Format(time.RFC3339Nano)
	return &s
}

func writeInfoJSON(w io.Writer, info *raw.Info) error {
	out := infoJSON{
		Format:      info.Format,
		NChannels:   len(info.Channels),
		SFreq:       info.SFreq,
		NSamples:    info.NSamples,
		DurationS:   info.Duration(),
		MeasDate:    measDate(info),
		FirstSample: info.FirstSample,
		Channels:    make([]channelJSON, len(info.Channels)),
		Annotations: make([]annotationJSON, len(info.Annotations)),
	}
	for i, ch := range info.Channels {
		out.Channels[i] = channelJSON{Name: ch.Name, Type: string(ch.Type), Unit: ch.Unit, SFreq: ch.SFreq}
	}
	for i, a := range info.Annotations {
		out.Annotations[i] = annotationJSON{Onset: a.Onset, Duration: a.Duration, Description: a.Description}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeInfoText(w io.Writer, path string, info *raw.Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "File:\t%s\n", path)
	fmt.Fprintf(tw, "Format:\t%s\n", info.Format)
	fmt.Fprintf(tw, "Channels:\t%d (%s)\n", len(info.Channels), typeCounts(info))
	fmt.Fprintf(tw, "Sampling rate:\t%g Hz\n", info.SFreq)
	fmt.Fprintf(tw, "Samples:\t%d (%s)\n", info.NSamples, fmtDuration(info.Duration()))
	if d := measDate(info); d != nil {
		fmt.Fprintf(tw, "Measured:\t%s\n", *d)
	} else {
		fmt.Fprintf(tw, "Measured:\tunknown\n")
	}
	if info.FirstSample != 0 {
		fmt.Fprintf(tw, "First sample:\t%d\n", info.FirstSample)
	}
	fmt.Fprintf(tw, "Annotations:\t%d%s\n", len(info.Annotations), annotationCounts(info))
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tname\ttype\tunit\tHz")
	for i, ch := range info.Channels {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%g\n", i, ch.Name, ch.Type, ch.Unit, ch.SFreq)
	}
	return tw.Flush()
}

func typeCounts(info *raw.Info) string {
	n := map[raw.ChannelType]int{}
	var order []raw.ChannelType
	for _, c := range info.Channels {
		if n[c.Type] == 0 {
			order = append(order, c.Type)
		}
		n[c.Type]++
	}
	parts := make([]string, len(order))
	for i, t := range order {
		parts[i] = fmt.Sprintf("%d %s", n[t], t)
	}
	return strings.Join(parts, ", ")
}

func annotationCounts(info *raw.Info) string {
	if len(info.Annotations) == 0 {
		return ""
	}
	n := map[string]int{}
	for _, a := range info.Annotations {
		n[a.Description]++
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	const show = 12
	parts := make([]string, 0, show+1)
	for i, k := range keys {
		if i == show {
			parts = append(parts, fmt.Sprintf("... %d more kinds", len(keys)-show))
			break
		}
		parts = append(parts, fmt.Sprintf("%s×%d", k, n[k]))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func fmtDuration(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Millisecond)
	return fmt.Sprintf("%.3f s, %s", s, d)
}
