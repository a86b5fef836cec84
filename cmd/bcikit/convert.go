package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/format"
)

func init() {
	register(&command{
		name:    "convert",
		summary: "Convert a recording to EDF+ (.edf), BDF+ (.bdf) or CSV (.csv), chosen by OUT's extension.",
		usage:   "[--channels A,B,...] [--tmin S] [--tmax S] IN OUT",
		run:     runConvert,
	})
}

func runConvert(args []string, stdout io.Writer) error {
	fs := newFlags(commands["convert"], stdout)
	chans := fs.String("channels", "", "comma-separated channel names to keep, in that order (default all)")
	tmin := fs.String("tmin", "0", "start of the part to keep, seconds from the first sample")
	tmax := fs.String("tmax", "", "end of the part to keep, seconds from the first sample, included (default the end)")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	sel := format.All
	if *chans != "" {
		sel.Channels = splitList(*chans)
	}
	if sel.TMin, err = parseSeconds("tmin", *tmin); err != nil {
		return err
	}
	if *tmax != "" {
		if sel.TMax, err = parseSeconds("tmax", *tmax); err != nil {
			return err
		}
	}
	in, err := resolveInput(pos[0])
	if err != nil {
		return err
	}
	return format.Convert(in, pos[1], sel)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseSeconds(name, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: --%s %q is not a number of seconds", errUsage, name, s)
	}
	return v, nil
}
