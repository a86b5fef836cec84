package lsl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A Query is a compiled resolve predicate: an XPath 1.0 expression
// evaluated, as liblsl does with pugixml, on the <info> element of a stream
// info document ("name='BioSemi'", "type='EEG' and starts-with(name,'Bio')",
// "count(desc/channels/channel)=32"). The empty query matches every stream.
//
// The subset understood: relative and absolute location paths of element
// names, "*", "." and "//" (no axes other than child and
// descendant-or-self, no attributes); string and number literals; the
// operators or, and, =, !=, <, <=, >, >=, +, -, *, div, mod and unary -;
// parentheses; and the functions not, true, false, boolean, number,
// string, count, contains, starts-with, string-length, normalize-space and
// concat. Comparisons follow XPath: a node-set equals a string if any of
// its nodes' string values does.
type Query struct {
	src  string
	root qexpr
}

// CompileQuery parses a query; a syntax error wraps ErrQuery.
func CompileQuery(q string) (*Query, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return &Query{}, nil
	}
	if len(q) > 4096 {
		return nil, fmt.Errorf("%w: %d bytes (over 4096)", ErrQuery, len(q))
	}
	p := &qparser{src: q}
	if err := p.lex(); err != nil {
		return nil, err
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("%w: %q: unexpected %q", ErrQuery, q, p.toks[p.pos].s)
	}
	return &Query{src: q, root: e}, nil
}

// String returns the query's text.
func (q *Query) String() string { return q.src }

// Matches reports whether the info document rooted at info (its <info>
// element) satisfies the query.
func (q *Query) Matches(info *Element) bool {
	if q == nil || q.root == nil {
		return true
	}
	return q.root.eval(info).boolean()
}

// Matches reports whether s satisfies query (liblsl's matches_query); an
// invalid query matches nothing and returns its error.
func (s StreamInfo) Matches(query string) (bool, error) {
	q, err := CompileQuery(query)
	if err != nil {
		return false, err
	}
	if q.root == nil {
		return true, nil
	}
	doc, err := s.document()
	if err != nil {
		return false, err
	}
	return q.Matches(doc), nil
}

// --- values ---

type qkind uint8

const (
	kNodes qkind = iota
	kString
	kNumber
	kBool
)

type qvalue struct {
	k     qkind
	nodes []*Element
	s     string
	n     float64
	b     bool
}

func (v qvalue) boolean() bool {
	switch v.k {
	case kNodes:
		return len(v.nodes) > 0
	case kString:
		return v.s != ""
	case kNumber:
		return v.n != 0 && !math.IsNaN(v.n)
	}
	return v.b
}

func (v qvalue) str() string {
	switch v.k {
	case kNodes:
		if len(v.nodes) == 0 {
			return ""
		}
		return v.nodes[0].all
	case kString:
		return v.s
	case kNumber:
		return numString(v.n)
	}
	if v.b {
		return "true"
	}
	return "false"
}

func (v qvalue) number() float64 {
	switch v.k {
	case kNumber:
		return v.n
	case kBool:
		if v.b {
			return 1
		}
		return 0
	}
	return strNumber(v.str())
}

func strNumber(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "eExXpP_+") || strings.EqualFold(s, "nan") || strings.Contains(strings.ToLower(s), "inf") {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func numString(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == math.Trunc(n) && math.Abs(n) < 1e15:
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// --- expressions ---

type qexpr interface{ eval(ctx *Element) qvalue }

type qlit struct{ v qvalue }

func (e qlit) eval(*Element) qvalue { return e.v }

type qbin struct {
	op   string
	l, r qexpr
}

func (e qbin) eval(ctx *Element) qvalue {
	switch e.op {
	case "or":
		return qvalue{k: kBool, b: e.l.eval(ctx).boolean() || e.r.eval(ctx).boolean()}
	case "and":
		return qvalue{k: kBool, b: e.l.eval(ctx).boolean() && e.r.eval(ctx).boolean()}
	case "=", "!=", "<", "<=", ">", ">=":
		return qvalue{k: kBool, b: compare(e.op, e.l.eval(ctx), e.r.eval(ctx))}
	}
	a, b := e.l.eval(ctx).number(), e.r.eval(ctx).number()
	var n float64
	switch e.op {
	case "+":
		n = a + b
	case "-":
		n = a - b
	case "*":
		n = a * b
	case "div":
		n = a / b
	case "mod":
		n = math.Mod(a, b)
	}
	return qvalue{k: kNumber, n: n}
}

type qneg struct{ e qexpr }

func (e qneg) eval(ctx *Element) qvalue { return qvalue{k: kNumber, n: -e.e.eval(ctx).number()} }

// compare applies an XPath comparison, node-sets compared node by node.
func compare(op string, a, b qvalue) bool {
	if a.k == kNodes && b.k == kNodes {
		for _, x := range a.nodes {
			for _, y := range b.nodes {
				if compareAtoms(op, qvalue{k: kString, s: x.all}, qvalue{k: kString, s: y.all}) {
					return true
				}
			}
		}
		return false
	}
	if a.k == kNodes || b.k == kNodes {
		swap := b.k == kNodes
		ns, other := a, b
		if swap {
			ns, other = b, a
		}
		if other.k == kBool {
			x := qvalue{k: kBool, b: ns.boolean()}
			if swap {
				return compareAtoms(op, other, x)
			}
			return compareAtoms(op, x, other)
		}
		for _, n := range ns.nodes {
			x := qvalue{k: kString, s: n.all}
			if other.k == kNumber {
				x = qvalue{k: kNumber, n: strNumber(n.all)}
			}
			if swap && compareAtoms(op, other, x) || !swap && compareAtoms(op, x, other) {
				return true
			}
		}
		return false
	}
	return compareAtoms(op, a, b)
}

func compareAtoms(op string, a, b qvalue) bool {
	if op == "=" || op == "!=" {
		var eq bool
		switch {
		case a.k == kBool || b.k == kBool:
			eq = a.boolean() == b.boolean()
		case a.k == kNumber || b.k == kNumber:
			eq = a.number() == b.number()
		default:
			eq = a.str() == b.str()
		}
		return eq == (op == "=")
	}
	x, y := a.number(), b.number()
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

// qpath is a location path: steps of element names ("*" any, "" for "//").
type qpath struct {
	abs   bool
	steps []string
}

func (p qpath) eval(ctx *Element) qvalue {
	cur := []*Element{ctx}
	if p.abs {
		cur = []*Element{{Children: []*Element{ctx}}} // the document node
	}
	for _, st := range p.steps {
		var next []*Element
		switch st {
		case ".":
			next = cur
		case "//":
			for _, n := range cur {
				next = appendDescendants(next, n)
			}
		default:
			for _, n := range cur {
				for _, c := range n.Children {
					if st == "*" || c.Name == st {
						next = append(next, c)
					}
				}
			}
		}
		cur = dedup(next)
	}
	return qvalue{k: kNodes, nodes: cur}
}

func appendDescendants(dst []*Element, n *Element) []*Element {
	dst = append(dst, n)
	for _, c := range n.Children {
		dst = appendDescendants(dst, c)
	}
	return dst
}

func dedup(ns []*Element) []*Element {
	if len(ns) < 2 {
		return ns
	}
	seen := make(map[*Element]bool, len(ns))
	out := ns[:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

type qcall struct {
	name string
	args []qexpr
}

func (c qcall) eval(ctx *Element) qvalue {
	arg := func(i int) qvalue { return c.args[i].eval(ctx) }
	switch c.name {
	case "not":
		return qvalue{k: kBool, b: !arg(0).boolean()}
	case "true":
		return qvalue{k: kBool, b: true}
	case "false":
		return qvalue{k: kBool}
	case "boolean":
		return qvalue{k: kBool, b: arg(0).boolean()}
	case "number":
		if len(c.args) == 0 {
			return qvalue{k: kNumber, n: strNumber(ctx.all)}
		}
		return qvalue{k: kNumber, n: arg(0).number()}
	case "string":
		if len(c.args) == 0 {
			return qvalue{k: kString, s: ctx.all}
		}
		return qvalue{k: kString, s: arg(0).str()}
	case "count":
		return qvalue{k: kNumber, n: float64(len(arg(0).nodes))}
	case "contains":
		return qvalue{k: kBool, b: strings.Contains(arg(0).str(), arg(1).str())}
	case "starts-with":
		return qvalue{k: kBool, b: strings.HasPrefix(arg(0).str(), arg(1).str())}
	case "string-length":
		s := ctx.all
		if len(c.args) > 0 {
			s = arg(0).str()
		}
		return qvalue{k: kNumber, n: float64(len([]rune(s)))}
	case "normalize-space":
		s := ctx.all
		if len(c.args) > 0 {
			s = arg(0).str()
		}
		return qvalue{k: kString, s: strings.Join(strings.Fields(s), " ")}
	case "concat":
		var b strings.Builder
		for i := range c.args {
			b.WriteString(arg(i).str())
		}
		return qvalue{k: kString, s: b.String()}
	}
	return qvalue{k: kBool}
}

// arity gives the allowed argument counts of each function.
var arity = map[string][2]int{
	"not": {1, 1}, "true": {0, 0}, "false": {0, 0}, "boolean": {1, 1}, "number": {0, 1},
	"string": {0, 1}, "count": {1, 1}, "contains": {2, 2}, "starts-with": {2, 2},
	"string-length": {0, 1}, "normalize-space": {0, 1}, "concat": {2, 64},
}

// --- parser ---

type qtok struct {
	kind byte // 'n' name, 's' string, 'd' number, 'o' operator/punctuation
	s    string
}

type qparser struct {
	src  string
	toks []qtok
	pos  int
}

func (p *qparser) errf(format string, a ...any) error {
	return fmt.Errorf("%w: %q: %s", ErrQuery, p.src, fmt.Sprintf(format, a...))
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 ||
		!first && (c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':')
}

func (p *qparser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return p.errf("unterminated string")
			}
			p.toks = append(p.toks, qtok{'s', s[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			p.toks = append(p.toks, qtok{'d', s[i:j]})
			i = j
		case isNameByte(c, true):
			j := i
			for j < len(s) && isNameByte(s[j], j == i) {
				j++
			}
			p.toks = append(p.toks, qtok{'n', s[i:j]})
			i = j
		default:
			two := ""
			if i+1 < len(s) {
				two = s[i : i+2]
			}
			switch two {
			case "!=", "<=", ">=", "//":
				p.toks = append(p.toks, qtok{'o', two})
				i += 2
				continue
			}
			if strings.IndexByte("=<>()/,*+-.", c) < 0 {
				return p.errf("unexpected character %q", c)
			}
			p.toks = append(p.toks, qtok{'o', string(c)})
			i++
		}
	}
	return nil
}

func (p *qparser) peekIs(kind byte, s string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == kind && p.toks[p.pos].s == s
}

// isOp reports whether the next token is operator s: "and", "or", "div"
// and "mod" are names lexically, operators only after an operand.
func (p *qparser) isOp(s string) bool {
	if p.pos >= len(p.toks) {
		return false
	}
	t := p.toks[p.pos]
	return t.s == s && (t.kind == 'o' || t.kind == 'n' && (s == "and" || s == "or" || s == "div" || s == "mod"))
}

func (p *qparser) binary(next func() (qexpr, error), ops ...string) (qexpr, error) {
	l, err := next()
	if err != nil {
		return nil, err
	}
	for {
		matched := ""
		for _, op := range ops {
			if p.isOp(op) {
				matched = op
				break
			}
		}
		if matched == "" {
			return l, nil
		}
		p.pos++
		r, err := next()
		if err != nil {
			return nil, err
		}
		l = qbin{op: matched, l: l, r: r}
	}
}

func (p *qparser) parseOr() (qexpr, error)  { return p.binary(p.parseAnd, "or") }
func (p *qparser) parseAnd() (qexpr, error) { return p.binary(p.parseEq, "and") }
func (p *qparser) parseEq() (qexpr, error)  { return p.binary(p.parseRel, "=", "!=") }
func (p *qparser) parseRel() (qexpr, error) {
	return p.binary(p.parseAdd, "<=", ">=", "<", ">")
}
func (p *qparser) parseAdd() (qexpr, error) { return p.binary(p.parseMul, "+", "-") }
func (p *qparser) parseMul() (qexpr, error) {
	return p.binary(p.parseUnary, "*", "div", "mod")
}

func (p *qparser) parseUnary() (qexpr, error) {
	if p.peekIs('o', "-") {
		p.pos++
		e, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return qneg{e}, nil
	}
	return p.parsePrimary()
}

func (p *qparser) parsePrimary() (qexpr, error) {
	if p.pos >= len(p.toks) {
		return nil, p.errf("unexpected end")
	}
	t := p.toks[p.pos]
	switch {
	case t.kind == 's':
		p.pos++
		return qlit{qvalue{k: kString, s: t.s}}, nil
	case t.kind == 'd':
		p.pos++
		f, err := strconv.ParseFloat(t.s, 64)
		if err != nil {
			return nil, p.errf("bad number %q", t.s)
		}
		return qlit{qvalue{k: kNumber, n: f}}, nil
	case t.kind == 'o' && t.s == "(":
		p.pos++
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if !p.peekIs('o', ")") {
			return nil, p.errf("missing )")
		}
		p.pos++
		return e, nil
	case t.kind == 'n' && p.pos+1 < len(p.toks) && p.toks[p.pos+1].kind == 'o' && p.toks[p.pos+1].s == "(":
		return p.parseCall()
	}
	return p.parsePath()
}

func (p *qparser) parseCall() (qexpr, error) {
	name := p.toks[p.pos].s
	p.pos += 2
	ar, ok := arity[name]
	if !ok {
		return nil, p.errf("unknown function %s()", name)
	}
	var args []qexpr
	if !p.peekIs('o', ")") {
		for {
			a, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if !p.peekIs('o', ",") {
				break
			}
			p.pos++
		}
	}
	if !p.peekIs('o', ")") {
		return nil, p.errf("missing ) after the arguments of %s", name)
	}
	p.pos++
	if len(args) < ar[0] || len(args) > ar[1] {
		return nil, p.errf("%s() takes %d to %d arguments, not %d", name, ar[0], ar[1], len(args))
	}
	if name == "count" {
		if _, ok := args[0].(qpath); !ok {
			return nil, p.errf("count() takes a location path")
		}
	}
	return qcall{name: name, args: args}, nil
}

func (p *qparser) parsePath() (qexpr, error) {
	var path qpath
	if p.peekIs('o', "/") || p.peekIs('o', "//") {
		path.abs = true
		if p.toks[p.pos].s == "//" {
			path.steps = append(path.steps, "//")
		}
		p.pos++
	}
	for {
		if p.pos >= len(p.toks) {
			return nil, p.errf("unexpected end of a path")
		}
		t := p.toks[p.pos]
		switch {
		case t.kind == 'n', t.kind == 'o' && (t.s == "*" || t.s == "."):
			path.steps = append(path.steps, t.s)
			p.pos++
		default:
			return nil, p.errf("unexpected %q", t.s)
		}
		if p.peekIs('o', "/") {
			p.pos++
			continue
		}
		if p.peekIs('o', "//") {
			p.pos++
			path.steps = append(path.steps, "//")
			continue
		}
		return path, nil
	}
}
