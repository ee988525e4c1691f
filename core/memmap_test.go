package core

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// records maps each memory that has a Go record to a pointer to a zero one.
func records() map[int]func() any {
	return map[int]func() any{
		MemParam: func() any { return new(NeuronParams) }, MemState: func() any { return new(NeuronState) },
		MemFanout: func() any { return new(Fanout) }, MemSyn: func() any { return new(Synapse) },
		MemRev: func() any { return new(RevEntry) }, MemRule: func() any { return new(Rule) },
		MemBParam: func() any { return new(BurstParams) }, MemBState: func() any { return new(BurstState) },
		MemBFanout: func() any { return new(BFanout) },
	}
}

// TestMemMapBindsEveryRecordField checks that every exported field of a
// memory's record type is bound to exactly one field of the map, so a field
// added to a record without a line in the map (or the reverse) fails here.
func TestMemMapBindsEveryRecordField(t *testing.T) {
	for m, mk := range records() {
		mem := &MemMap[m]
		typ := reflect.TypeOf(mk()).Elem()
		bound := map[string]string{}
		for _, f := range mem.Fields {
			if f.bind == nil {
				t.Fatalf("%s.%s has no binding to %s", mem.Name, f.Name, typ.Name())
			}
			rec := mk()
			f.bind.set(rec, 1)
			v := reflect.ValueOf(rec).Elem()
			var hit []string
			for k := 0; k < typ.NumField(); k++ {
				if !v.Field(k).IsZero() {
					hit = append(hit, typ.Field(k).Name)
				}
			}
			if len(hit) != 1 {
				t.Fatalf("%s.%s sets %v of %s, want one field", mem.Name, f.Name, hit, typ.Name())
			}
			if prev, dup := bound[hit[0]]; dup {
				t.Fatalf("%s.%s and %s both bind %s.%s", mem.Name, f.Name, prev, typ.Name(), hit[0])
			}
			bound[hit[0]] = f.Name
		}
		for k := 0; k < typ.NumField(); k++ {
			if name := typ.Field(k).Name; typ.Field(k).IsExported() && bound[name] == "" {
				t.Errorf("%s.%s is not in the memory map of %s", typ.Name(), name, mem.Name)
			}
		}
	}
}

// TestPackPlacesEveryField packs random records of every memory under every
// profile, checks each field at its LSB in the word, and unpacks them back.
func TestPackPlacesEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range ProfileNames() {
		p := Profiles[name]
		for m, mk := range records() {
			mem := &MemMap[m]
			for trial := 0; trial < 200; trial++ {
				rec, want := mk(), map[string]uint64{}
				for _, f := range mem.Fields {
					n := f.Size.Of(p)
					raw := rng.Uint64() & (1<<n - 1)
					v := raw
					if f.Signed && raw>>(n-1) == 1 {
						v = raw | ^uint64(0)<<n
					}
					f.bind.set(rec, v)
					want[f.Name] = raw
				}
				w := packRec(p, m, rec)
				for k, f := range mem.Fields {
					if got := w.Bits(mem.LSB(k).Of(p), f.Size.Of(p)); got != want[f.Name] {
						t.Fatalf("%s %s.%s at bit %d: %#x, want %#x", name, mem.Name, f.Name, mem.LSB(k).Of(p), got, want[f.Name])
					}
				}
				for b := mem.Width().Of(p); b < 192; b++ {
					if w[b/64]>>(b%64)&1 != 0 {
						t.Fatalf("%s %s: bit %d above the word is set: %x", name, mem.Name, b, w)
					}
				}
				back := mk()
				unpackRec(p, m, w, back)
				if !reflect.DeepEqual(back, rec) {
					t.Fatalf("%s %s: %+v came back as %+v", name, mem.Name, rec, back)
				}
			}
		}
	}
}

// TestWordBitsAcrossLimbs compares Bits and put with a bit-by-bit reading.
func TestWordBitsAcrossLimbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 5000; trial++ {
		w := Word{rng.Uint64(), rng.Uint64(), rng.Uint64()}
		n := 1 + uint(rng.IntN(64))
		lsb := uint(rng.IntN(192 - int(n) + 1))
		var want uint64
		for b := uint(0); b < n; b++ {
			want |= (w[(lsb+b)/64] >> ((lsb + b) % 64) & 1) << b
		}
		if got := w.Bits(lsb, n); got != want {
			t.Fatalf("Bits(%d, %d) of %x = %#x, want %#x", lsb, n, w, got, want)
		}
		var z Word
		v := want
		if n < 64 {
			v |= rng.Uint64() << n // put must drop bits above n
		}
		z.put(lsb, n, v)
		for b := uint(0); b < 192; b++ {
			in := b >= lsb && b < lsb+n
			if bit := z[b/64] >> (b % 64) & 1; bit == 1 && !in || in && bit != want>>(b-lsb)&1 {
				t.Fatalf("put(%d, %d, %#x) gave %x", lsb, n, v, z)
			}
		}
	}
}

// TestMemMapShape checks what the generators rely on: host_sel numbers
// index the map, names are unique, registers are single words, and no word
// is wider than a Word under any profile.
func TestMemMapShape(t *testing.T) {
	names := map[string]bool{}
	for sel := range MemMap {
		mem := &MemMap[sel]
		if !Used(sel) {
			continue
		}
		if mem.Sel != sel || names[mem.Name] || len(mem.Fields) == 0 {
			t.Fatalf("host_sel %d: %+v", sel, mem)
		}
		names[mem.Name] = true
		if mem.Register != (mem.AddrBits == Size{}) {
			t.Fatalf("%s: a register has depth 1, a memory more", mem.Name)
		}
		for _, p := range Profiles {
			if w := p.MemWidth(sel); w == 0 || w > 192 {
				t.Fatalf("%s under %s: %d bits", mem.Name, p.Name, w)
			}
		}
	}
	if got := (Size{Const: 45, VW: 3}).Expr("*"); got != "3*VW+45" {
		t.Fatalf("Expr = %q", got)
	}
}
