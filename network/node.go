package network

import (
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxAliases bounds alias resolution so that a hostile file with nested
// aliases ("billion laughs") cannot make the loader walk an exponential tree.
const maxAliases = 10000

// dec walks a yaml.Node tree; it knows the file name so that every error it
// makes can name it.
type dec struct {
	file    string
	aliases int
}

func (d *dec) err(n *yaml.Node, field, format string, a ...any) *Error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return errAt(d.file, line, field, format, a...)
}

// resolve follows aliases (bounded by maxAliases).
func (d *dec) resolve(n *yaml.Node, field string) (*yaml.Node, error) {
	for n != nil && n.Kind == yaml.AliasNode {
		d.aliases++
		if d.aliases > maxAliases {
			return nil, d.err(n, field, "too many aliases (more than %d)", maxAliases)
		}
		n = n.Alias
	}
	if n == nil {
		return nil, d.err(nil, field, "missing value")
	}
	return n, nil
}

// obj is a YAML mapping being decoded: fields are taken one by one, and done
// reports any that were never asked for, so unknown fields are errors.
type obj struct {
	d     *dec
	node  *yaml.Node
	path  string
	keys  []*yaml.Node
	vals  map[string]*yaml.Node
	kline map[string]int
	used  map[string]bool
}

func (d *dec) object(n *yaml.Node, path string) (*obj, error) {
	n, err := d.resolve(n, path)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.err(n, path, "must be a mapping, got %s", kindName(n))
	}
	o := &obj{d: d, node: n, path: path, vals: map[string]*yaml.Node{}, kline: map[string]int{}, used: map[string]bool{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := d.resolve(n.Content[i], path)
		if err != nil {
			return nil, err
		}
		if k.Kind != yaml.ScalarNode {
			return nil, d.err(k, path, "keys must be plain names")
		}
		if _, dup := o.vals[k.Value]; dup {
			return nil, d.err(k, o.sub(k.Value), "duplicate field")
		}
		o.keys = append(o.keys, k)
		o.vals[k.Value] = n.Content[i+1]
		o.kline[k.Value] = k.Line
	}
	return o, nil
}

func (o *obj) sub(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func (o *obj) has(key string) bool { _, ok := o.vals[key]; return ok }

// get marks key used and returns its value node (nil if absent).
func (o *obj) get(key string) *yaml.Node {
	o.used[key] = true
	return o.vals[key]
}

// missing is the error for a required field that is absent.
func (o *obj) missing(key string) *Error {
	return o.d.err(o.node, o.sub(key), "required field is missing")
}

// done reports the first field that nobody asked for.
func (o *obj) done() error {
	for _, k := range o.keys {
		if !o.used[k.Value] {
			return o.d.err(k, o.sub(k.Value), "unknown field")
		}
	}
	return nil
}

// line returns the line of key's value, or of the mapping if absent.
func (o *obj) line(key string) int {
	if v, ok := o.vals[key]; ok && v != nil {
		return v.Line
	}
	return o.node.Line
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

func (d *dec) scalar(n *yaml.Node, field string) (*yaml.Node, error) {
	n, err := d.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return nil, d.err(n, field, "must be a single value, got %s", kindName(n))
	}
	return n, nil
}

func (d *dec) float(n *yaml.Node, field string) (float64, error) {
	s, err := d.scalar(n, field)
	if err != nil {
		return 0, err
	}
	if s.Tag == "!!str" && s.Style != 0 {
		return 0, d.err(s, field, "must be a number, got the string %q", s.Value)
	}
	v, perr := strconv.ParseFloat(strings.ReplaceAll(s.Value, "_", ""), 64)
	if perr != nil {
		return 0, d.err(s, field, "must be a number, got %q", s.Value)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, d.err(s, field, "must be a finite number, got %q", s.Value)
	}
	return v, nil
}

// integer parses an integer in [lo, hi]; 3.0 is accepted, 3.5 is not.
func (d *dec) integer(n *yaml.Node, field string, lo, hi int64) (int64, error) {
	s, err := d.scalar(n, field)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(strings.ReplaceAll(s.Value, "_", ""), 0, 64)
	if perr != nil {
		f, ferr := d.float(s, field)
		if ferr != nil {
			return 0, d.err(s, field, "must be an integer, got %q", s.Value)
		}
		if f != math.Trunc(f) || math.Abs(f) > 1<<62 {
			return 0, d.err(s, field, "must be an integer, got %q", s.Value)
		}
		v = int64(f)
	}
	if v < lo || v > hi {
		return 0, d.err(s, field, "must be in %d..%d, got %d", lo, hi, v)
	}
	return v, nil
}

func (d *dec) str(n *yaml.Node, field string) (string, error) {
	s, err := d.scalar(n, field)
	if err != nil {
		return "", err
	}
	if s.Value == "" {
		return "", d.err(s, field, "must not be empty")
	}
	return s.Value, nil
}

func (d *dec) boolean(n *yaml.Node, field string) (bool, error) {
	s, err := d.scalar(n, field)
	if err != nil {
		return false, err
	}
	switch s.Value {
	case "true", "True", "TRUE", "yes":
		return true, nil
	case "false", "False", "FALSE", "no":
		return false, nil
	}
	return false, d.err(s, field, "must be true or false, got %q", s.Value)
}

func (d *dec) list(n *yaml.Node, field string) ([]*yaml.Node, error) {
	n, err := d.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.SequenceNode {
		return nil, d.err(n, field, "must be a list, got %s", kindName(n))
	}
	return n.Content, nil
}

// floats parses a list of exactly want numbers (want < 0: any length).
func (d *dec) floats(n *yaml.Node, field string, want int) ([]float64, int, error) {
	items, err := d.list(n, field)
	if err != nil {
		return nil, 0, err
	}
	if want >= 0 && len(items) != want {
		return nil, 0, d.err(n, field, "must be a list of %d numbers, got %d", want, len(items))
	}
	out := make([]float64, len(items))
	for i, it := range items {
		if out[i], err = d.float(it, field+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, 0, err
		}
	}
	return out, n.Line, nil
}

// optFloat reads an optional number; ok is false when absent.
func (o *obj) optFloat(key string) (v float64, ok bool, err error) {
	n := o.get(key)
	if n == nil {
		return 0, false, nil
	}
	v, err = o.d.float(n, o.sub(key))
	return v, err == nil, err
}

func (o *obj) reqFloat(key string) (float64, error) {
	v, ok, err := o.optFloat(key)
	if err == nil && !ok {
		err = o.missing(key)
	}
	return v, err
}

func (o *obj) optInt(key string, lo, hi int64) (v int64, ok bool, err error) {
	n := o.get(key)
	if n == nil {
		return 0, false, nil
	}
	v, err = o.d.integer(n, o.sub(key), lo, hi)
	return v, err == nil, err
}

func (o *obj) reqInt(key string, lo, hi int64) (int64, error) {
	v, ok, err := o.optInt(key, lo, hi)
	if err == nil && !ok {
		err = o.missing(key)
	}
	return v, err
}

func (o *obj) optStr(key string) (string, bool, error) {
	n := o.get(key)
	if n == nil {
		return "", false, nil
	}
	s, err := o.d.str(n, o.sub(key))
	return s, err == nil, err
}

func (o *obj) reqStr(key string) (string, error) {
	s, ok, err := o.optStr(key)
	if err == nil && !ok {
		err = o.missing(key)
	}
	return s, err
}

// optBool reads an optional true/false; ok is false when absent.
func (o *obj) optBool(key string) (v, ok bool, err error) {
	n := o.get(key)
	if n == nil {
		return false, false, nil
	}
	v, err = o.d.boolean(n, o.sub(key))
	return v, err == nil, err
}
