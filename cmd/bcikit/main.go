// Command bcikit reads, converts, cleans and decodes brain recordings (EEG,
// MEG, iEEG). Run "bcikit help" for the list of commands and
// "bcikit COMMAND --help" for the flags of one.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bcikit/bcikit/dataset"
)

// command is one subcommand of the bcikit tool.
type command struct {
	name    string
	summary string
	usage   string // after "bcikit NAME "
	run     func(args []string, stdout io.Writer) error
}

var commands = map[string]*command{}

// stderr receives progress and warnings of long commands (set by run).
var stderr io.Writer = os.Stderr

func register(c *command) { commands[c.name] = c }

// errUsage marks a command-line mistake: the usage line is printed with it.
var errUsage = errors.New("bad usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, errOut io.Writer) (code int) {
	stderr = errOut
	// A bug must still end in one line, not a stack trace on a user's
	// terminal; the exit code tells it apart from a bad-input error.
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "bcikit: internal error: %v\n", p)
			code = 2
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return runCommand(c, []string{"--help"}, stdout, stderr)
			}
		}
		printHelp(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "bcikit: unknown command %q (commands: %s)\n", args[0], strings.Join(commandNames(), ", "))
		return 2
	}
	return runCommand(c, args[1:], stdout, stderr)
}

func runCommand(c *command, args []string, stdout, stderr io.Writer) int {
	err := c.run(args, stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
		fmt.Fprintf(stderr, "bcikit %s: %s (usage: bcikit %s %s)\n", c.name, oneLine(msg), c.name, c.usage)
		return 2
	default:
		fmt.Fprintf(stderr, "bcikit %s: %s\n", c.name, oneLine(err.Error()))
		return 1
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func commandNames() []string {
	var n []string
	for k := range commands {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, "bcikit turns raw brain signals into decisions.\n\nUsage: bcikit COMMAND [flags] [args]\n\nCommands:\n")
	width := 0
	for _, n := range commandNames() {
		width = max(width, len(n))
	}
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-*s %s\n", width, n, commands[n].summary)
	}
	fmt.Fprint(w, "\nRun \"bcikit COMMAND --help\" for a command's flags.\nRecordings are looked up as given; datasets live in $BCIKIT_DATA (default ~/.cache/bcikit).\n")
}

// newFlags makes a flag set for c whose --help prints the usage and flags
// to stdout.
func newFlags(c *command, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: bcikit %s %s\n\n%s\n", c.name, c.usage, c.summary)
		fs.SetOutput(stdout)
		if hasFlags(fs) {
			fmt.Fprintln(stdout, "\nFlags:")
			fs.PrintDefaults()
		}
		fs.SetOutput(io.Discard)
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses flags that may come before, between or after the positional
// arguments ("bcikit info FILE --json" works as well as "--json FILE"),
// and checks the number of positional arguments.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.Usage()
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case len(pos) < minPos:
		return nil, fmt.Errorf("%w: missing argument", errUsage)
	case maxPos >= 0 && len(pos) > maxPos:
		return nil, fmt.Errorf("%w: too many arguments: %s", errUsage, strings.Join(pos[maxPos:], " "))
	}
	return pos, nil
}

// resolveInput returns path if it exists, else the file of that relative
// name in the data directory ($BCIKIT_DATA), so that
// "bcikit info eegmmidb/S001/S001R04.edf" finds a dataset file. The error
// for a file in neither place names both.
func resolveInput(path string) (string, error) {
	if _, err := os.Stat(path); err == nil || filepath.IsAbs(path) {
		return path, nil
	}
	p, err := dataset.Path(filepath.ToSlash(path))
	if err != nil {
		return "", fmt.Errorf("%s: no such file here, and %w", path, err)
	}
	return p, nil
}
