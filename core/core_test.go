package core

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func sampleImage() *Image {
	p := Profiles["tiny"]
	im := &Image{Profile: p, NumNeurons: 3,
		Params: []NeuronParams{{Thr: 100, VReset: -20, Bias: 3, DV: 4000, DI: 3000, TRef: 2, TrShift: 3, TrInc: 40},
			{Thr: -5, VReset: -32768, Bias: 32767, DV: 4096, DI: 0, TRef: 255, TrShift: 7, TrInc: 255},
			{Thr: 32767, DV: 0, DI: 0}},
		State:  []NeuronState{{V: -1, I: 5, Ref: 1}, {V: 32767, I: -32768}, {}},
		Trace:  []uint8{0, 9, 255},
		Fanout: []Fanout{{FoBase: 0, FoCnt: 2}, {FoBase: 2, FoCnt: 1, FiBase: 0, FiCnt: 1}, {FoBase: 3, FoCnt: 0}},
		Syn:    []Synapse{{Tgt: 1, W: -128, WExp: 7, Rule: 2}, {Tgt: 2, W: 127}, {Tgt: 0, W: 5, WExp: 1}},
		Rev:    []RevEntry{{SAddr: 0, Src: 0}},
	}
	im.Rules[2] = Rule{APlus: 10, AMinus: 12, WMin: -100, WMax: 100}
	im.Meta = Meta{Name: "sample", DtMs: 0.1, Steps: 10, Populations: []Population{{Name: "p", Kind: "lif", First: 0, Count: 3}},
		Stimulus: []InputSpike{{Step: 1, Neuron: 2}}, SynProj: []uint16{0, 0, 0}}
	return im
}

func TestPackUnpackRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range ProfileNames() {
		p := Profiles[name]
		for k := 0; k < 2000; k++ {
			q := NeuronParams{Thr: p.VMin() + int32(r.Int64N(int64(p.VMax())-int64(p.VMin())+1)),
				VReset: p.VMin() + int32(r.Int64N(1<<p.VW)), Bias: p.VMax() - int32(r.Int64N(1<<p.VW)),
				DV: uint16(r.IntN(4097)), DI: uint16(r.IntN(4097)), TRef: uint8(r.IntN(256)), TrShift: uint8(r.IntN(8)), TrInc: uint8(r.IntN(256)),
				RSub: r.IntN(2) == 0}
			require.Equal(t, q, p.UnpackParam(p.PackParam(q)))
			s := NeuronState{V: p.VMin() + int32(r.Int64N(1<<p.VW)), I: p.VMax() - int32(r.Int64N(1<<p.VW)), Ref: uint8(r.IntN(256))}
			require.Equal(t, s, p.UnpackState(p.PackState(s)))
			sy := Synapse{Tgt: uint32(r.IntN(p.Neurons())), W: int8(r.IntN(256) - 128), WExp: uint8(r.IntN(8)), Rule: uint8(r.IntN(8))}
			require.Equal(t, sy, p.UnpackSyn(p.PackSyn(sy)))
		}
		require.LessOrEqual(t, p.MemWidth(MemParam), uint(192))
	}
}

func TestHexWidths(t *testing.T) {
	p := Profiles["tiny"]
	w := p.PackSyn(Synapse{Tgt: 63, W: -1, WExp: 7, Rule: 7})
	require.Equal(t, "fffff", w.Hex(p.MemWidth(MemSyn))) // 20 bits all ones
	w = p.PackState(NeuronState{V: -1, I: 0, Ref: 1})
	require.Equal(t, "ffff000001", w.Hex(p.MemWidth(MemState)))
}

func TestImageRoundTrip(t *testing.T) {
	im := sampleImage()
	require.NoError(t, im.Validate())
	data, err := EncodeImage(im)
	require.NoError(t, err)
	back, err := DecodeImage(data)
	require.NoError(t, err)
	require.Equal(t, im, back)
}

func TestDecodeRejectsDamage(t *testing.T) {
	data, err := EncodeImage(sampleImage())
	require.NoError(t, err)
	cases := []struct {
		name   string
		mangle func([]byte) []byte
		want   string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)-7] }, "truncated"},
		{"short header", func(b []byte) []byte { return b[:10] }, "shorter than the 20-byte header"},
		{"corrupted byte", func(b []byte) []byte { b[40] ^= 0x10; return b }, "checksum mismatch"},
		{"bad magic", func(b []byte) []byte { copy(b, "ELF!"); return b }, "bad magic"},
		{"other core version", func(b []byte) []byte { binary.LittleEndian.PutUint16(b[6:], 9); return b }, "core version 9"},
		{"other format", func(b []byte) []byte { binary.LittleEndian.PutUint16(b[4:], 2); return b }, "image format 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.mangle(append([]byte(nil), data...))
			_, err := DecodeImage(b)
			require.ErrorIs(t, err, ErrBadImage)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestValidateCatchesInconsistency(t *testing.T) {
	cases := []struct {
		name   string
		mangle func(*Image)
		want   string
	}{
		{"row outside syn", func(im *Image) { im.Fanout[2].FoCnt = 5 }, "fan-out row 3+5 outside 3 synapse words"},
		{"target outside", func(im *Image) { im.Syn[1].Tgt = 9 }, "target 9 outside 3 neurons"},
		{"rev disagrees", func(im *Image) { im.Rev[0].Src = 1 }, "disagrees with synapse word 0"},
		{"plastic without rev", func(im *Image) { im.Syn[1].Rule = 1 }, "2 plastic synapses but 1 fan-in words"},
		{"shared row", func(im *Image) { im.Fanout[2] = Fanout{FoBase: 0, FoCnt: 1} }, "synapse word 0 is in the rows of neurons 0 and 2"},
		{"decay too big", func(im *Image) { im.Params[0].DV = 5000 }, "decay multiplier above 4096"},
		{"thr out of width", func(im *Image) { im.Params[0].Thr = 40000 }, "outside 16-bit range"},
		{"wmin above wmax", func(im *Image) { im.Rules[3] = Rule{WMin: 5, WMax: 1} }, "rule 3: wmin 5 above wmax 1"},
		{"stimulus outside", func(im *Image) { im.Meta.Stimulus[0].Neuron = 3 }, "stimulus spike 0: neuron 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			im := sampleImage()
			tc.mangle(im)
			err := im.Validate()
			require.ErrorIs(t, err, ErrInvalidImage)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestWriteImageAtomicAndRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.ncx")
	require.NoError(t, WriteImage(path, sampleImage()))
	im, err := ReadImage(path)
	require.NoError(t, err)
	require.Equal(t, "sample", im.Meta.Name)
	bad := sampleImage()
	bad.Params[0].DV = 9999
	require.Error(t, WriteImage(filepath.Join(dir, "bad.ncx"), bad))
	entries, _ := os.ReadDir(dir)
	require.Len(t, entries, 1, "a failed write leaves nothing behind")
	_, err = ReadImage(filepath.Join(dir, "missing.ncx"))
	require.ErrorContains(t, err, "missing.ncx")
}

func TestMemDir(t *testing.T) {
	dir := t.TempDir()
	im := sampleImage()
	require.NoError(t, im.WriteMemDir(dir))
	b, err := os.ReadFile(filepath.Join(dir, "syn.mem"))
	require.NoError(t, err)
	lines := strings.Fields(string(b))
	require.Len(t, lines, 3)
	for _, l := range lines {
		require.Len(t, l, 5)
	}
	b, err = os.ReadFile(filepath.Join(dir, "rule.mem"))
	require.NoError(t, err)
	require.Equal(t, "0a0c9c64", strings.Fields(string(b))[2])
}

func FuzzDecodeImage(f *testing.F) {
	data, _ := EncodeImage(sampleImage())
	f.Add(data)
	f.Add(data[:30])
	sub := sampleImage()
	sub.Params[0].RSub = true
	subData, _ := EncodeImage(sub)
	f.Add(subData)
	fr := fracImage()
	frData, _ := EncodeImage(fr)
	f.Add(frData)
	fr.Params[0].RSub = true
	frData, _ = EncodeImage(fr)
	f.Add(frData)
	f.Fuzz(func(t *testing.T, b []byte) {
		im, err := DecodeImage(b)
		if err != nil {
			require.ErrorIs(t, err, ErrBadImage)
			return
		}
		require.NoError(t, im.Validate())
		again, err := EncodeImage(im)
		require.NoError(t, err)
		back, err := DecodeImage(again)
		require.NoError(t, err)
		require.Equal(t, im, back)
	})
}

func TestBurstImageRoundTrip(t *testing.T) {
	im := burstSample()
	b := im.Burst
	require.NoError(t, im.Validate())
	data, err := EncodeImage(im)
	require.NoError(t, err)
	back, err := DecodeImage(data)
	require.NoError(t, err)
	require.Equal(t, im, back)
	p := im.Profile
	for _, s := range b.State {
		require.Equal(t, s, p.UnpackBState(p.PackBState(s)))
	}
	require.NoError(t, im.WriteMemDir(t.TempDir()))

	bad := *im
	bb := *b
	bb.Params = append([]BurstParams(nil), b.Params...)
	bb.Params[1].BU = false
	bad.Burst = &bb
	require.ErrorContains(t, bad.Validate(), "targets neuron 1, which is not a burst unit")
	bb.Params[1].BU = true
	bb.LFSR = 0
	require.ErrorContains(t, bad.Validate(), "lfsr seed must not be 0")
	bb.LFSR = b.LFSR

	// A burst row aimed past the last neuron is an error, not an index out
	// of range in the burst check (found by inspect's FuzzDescribe).
	bad.Syn = append([]Synapse(nil), im.Syn...)
	a := bb.BFanout[0].BoBase
	if bb.BFanout[0].BoCnt == 0 {
		for _, f := range bb.BFanout {
			if f.BoCnt > 0 {
				a = f.BoBase
				break
			}
		}
	}
	bad.Syn[a].Tgt = uint32(im.NumNeurons + 3)
	require.ErrorContains(t, bad.Validate(), "outside")
}

// resealed is image file data with its payload replaced by payload, length
// and checksum fixed, so that the decoder sees the damage inside.
func resealed(data, payload []byte) []byte {
	out := append([]byte(nil), data[:headerLength]...)
	binary.LittleEndian.PutUint64(out[8:], uint64(len(payload)))
	binary.LittleEndian.PutUint32(out[16:], crc32.Checksum(payload, castagnoli))
	return append(out, payload...)
}

// TestResetModeSection: an image whose neurons all reset to vreset encodes
// without the reset-mode section (so its bytes are those of images made
// before the mode existed); one subtracting neuron adds it, and it round
// trips; a damaged section is refused.
func TestResetModeSection(t *testing.T) {
	im := sampleImage()
	zero, err := EncodeImage(im)
	require.NoError(t, err)
	im.Params[1].RSub = true
	sub, err := EncodeImage(im)
	require.NoError(t, err)
	require.Len(t, sub, len(zero)+1+im.NumNeurons)
	require.Equal(t, zero[headerLength:], sub[headerLength:len(zero)], "the section is appended, nothing before it moves")
	back, err := DecodeImage(sub)
	require.NoError(t, err)
	require.Equal(t, im, back)

	reseal := func(payload []byte) []byte { return resealed(sub, payload) }
	payload := append([]byte(nil), sub[headerLength:]...)
	end := len(payload) - im.NumNeurons
	for name, mut := range map[string]func([]byte) []byte{
		"bad tag":       func(b []byte) []byte { b[end-1] = 2; return b },
		"bad mode":      func(b []byte) []byte { b[end+1] = 7; return b },
		"all zero":      func(b []byte) []byte { b[end+1] = 0; return b },
		"truncated":     func(b []byte) []byte { return b[:len(b)-1] },
		"trailing byte": func(b []byte) []byte { return append(b, 0) },
	} {
		_, err := DecodeImage(reseal(mut(append([]byte(nil), payload...))))
		require.ErrorIs(t, err, ErrBadImage, name)
	}
}

// burstSample is sampleImage with burst units: rule 2 (the plastic
// synapse's) is a BDSP rule.
func burstSample() *Image {
	im := sampleImage()
	b := &BurstTables{LFSR: 0xACE1, RuleKind: 1 << 2}
	for k := 0; k < im.NumNeurons; k++ {
		b.Params = append(b.Params, BurstParams{BU: k != 2, BMode: uint8(k % 2), DA: 4000, AOff: -7, AShift: 3, PShift: 4, Teach: int32(k * 10)})
		b.State = append(b.State, BurstState{VA: int32(-k), PBar: uint16(k * 5000), Err: int16(-200 + k)})
	}
	b.BFanout = make([]BFanout, im.NumNeurons)
	im.Syn = append(im.Syn, Synapse{Tgt: 1, W: -3})
	im.Meta.SynProj = append(im.Meta.SynProj, 1)
	b.BFanout[2] = BFanout{BoBase: 3, BoCnt: 1}
	for i := range b.LUT {
		b.LUT[i] = uint8(i * 4)
	}
	im.Burst = b
	return im
}

// fracImage is burstSample with fraction bits on its BDSP rule and a
// non-zero wfrac word.
func fracImage() *Image {
	im := burstSample()
	im.Burst.RuleFrac = 1 << 2
	im.Burst.WFrac = []uint8{0x9c}
	return im
}

// TestFractionSection: an image without fraction bits encodes as before
// (no section); rule_frac and wfrac add the tagged section after the reset
// modes, which round trips alone and with the reset-mode section; damaged
// sections are refused.
func TestFractionSection(t *testing.T) {
	plain := burstSample()
	zero, err := EncodeImage(plain)
	require.NoError(t, err)
	plain.Burst.WFrac = []uint8{0} // all 0 is nil: no section either
	same, err := EncodeImage(plain)
	require.NoError(t, err)
	require.Equal(t, zero, same)

	for _, tc := range []struct {
		name    string
		frac    uint8
		wfrac   []uint8
		rsub    bool
		extra   int // bytes the section adds
		decoded []uint8
	}{
		{"rule_frac only", 1 << 2, nil, false, 1 + 1 + 4, nil},
		{"rule_frac and zero words", 1 << 2, []uint8{0}, false, 1 + 1 + 4, nil},
		{"words only", 0, []uint8{7}, false, 1 + 1 + 4 + 1, []uint8{7}},
		{"both", 1 << 2, []uint8{255}, false, 1 + 1 + 4 + 1, []uint8{255}},
		{"after reset modes", 1 << 2, []uint8{1}, true, 1 + 3 + 1 + 1 + 4 + 1, []uint8{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := burstSample()
			im.Burst.RuleFrac, im.Burst.WFrac = tc.frac, tc.wfrac
			im.Params[1].RSub = tc.rsub
			data, err := EncodeImage(im)
			require.NoError(t, err)
			require.Len(t, data, len(zero)+tc.extra)
			require.Equal(t, zero[headerLength:], data[headerLength:len(zero)], "the section is appended, nothing before it moves")
			back, err := DecodeImage(data)
			require.NoError(t, err)
			im.Burst.WFrac = tc.decoded
			require.Equal(t, im, back)
		})
	}

	im := fracImage()
	data, err := EncodeImage(im)
	require.NoError(t, err)
	reseal := func(payload []byte) []byte { return resealed(data, payload) }
	payload := append([]byte(nil), data[headerLength:]...)
	tag := len(payload) - (1 + 1 + 4 + 1) // tag, rule_frac, count, one word
	for _, tc := range []struct {
		name, want string
		mut        func([]byte) []byte
	}{
		{"unknown tag", "unknown or repeated section tag 3", func(b []byte) []byte { b[tag] = 3; return b }},
		{"tag 0", "unknown or repeated section tag 0", func(b []byte) []byte { b[tag] = 0; return b }},
		{"repeated", "unknown or repeated section tag 2", func(b []byte) []byte { return append(b, b[tag:]...) }},
		{"out of order", "unknown or repeated section tag 1", func(b []byte) []byte { return append(b, 1, 0, 1, 0) }},
		{"stray rule_frac bit", "sets bits of rules that are not BDSP rules", func(b []byte) []byte { b[tag+1] |= 1 << 3; return b }},
		{"word count", "wfrac has 2 words, want 0 or one per fan-in word (1)", func(b []byte) []byte { b[tag+2] = 2; return append(b, 0) }},
		{"huge count", "truncated in wfrac", func(b []byte) []byte { b[tag+5] = 0x80; return b }},
		{"zero words", "wfrac words present but all 0", func(b []byte) []byte { b[len(b)-1] = 0; return b }},
		{"empty section", "rule_frac 0 and no wfrac words", func(b []byte) []byte { b[tag+1], b[tag+2] = 0, 0; return b[:len(b)-1] }},
		{"truncated", "truncated", func(b []byte) []byte { return b[:len(b)-1] }},
		{"trailing byte", "unknown or repeated section tag 0", func(b []byte) []byte { return append(b, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeImage(reseal(tc.mut(append([]byte(nil), payload...))))
			require.ErrorIs(t, err, ErrBadImage)
			require.ErrorContains(t, err, tc.want)
		})
	}

	noBurst := sampleImage()
	nb, err := EncodeImage(noBurst)
	require.NoError(t, err)
	nbp := append(append([]byte(nil), nb[headerLength:]...), 2, 4, 0, 0, 0, 0)
	_, err = DecodeImage(reseal(nbp))
	require.ErrorContains(t, err, "fraction-bit section in an image without burst units")
}

func TestValidateFraction(t *testing.T) {
	im := fracImage()
	require.NoError(t, im.Validate())
	im.Burst.RuleFrac |= 1 << 5
	require.ErrorContains(t, im.Validate(), "rule_frac 0x24 sets bits of rules that are not BDSP rules (rule_kind 0x04)")
	im = fracImage()
	im.Burst.WFrac = []uint8{1, 2}
	require.ErrorContains(t, im.Validate(), "wfrac has 2 words, want one per fan-in word (1)")
}

// TestMemDirFraction: burst images get wfrac.mem (one 2-digit word per
// fan-in word) and regs.mem gains rule_frac as a third line only when it is
// not 0, so the files of images without fraction bits are unchanged.
func TestMemDirFraction(t *testing.T) {
	read := func(dir, name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	dir := t.TempDir()
	require.NoError(t, burstSample().WriteMemDir(dir))
	require.Equal(t, "00\n", read(dir, "wfrac.mem"))
	require.Equal(t, "04\nace1\n", read(dir, "regs.mem"))
	dir = t.TempDir()
	require.NoError(t, fracImage().WriteMemDir(dir))
	require.Equal(t, "9c\n", read(dir, "wfrac.mem"))
	require.Equal(t, "04\nace1\n04\n", read(dir, "regs.mem"))
	dir = t.TempDir()
	require.NoError(t, sampleImage().WriteMemDir(dir))
	_, err := os.Stat(filepath.Join(dir, "wfrac.mem"))
	require.ErrorIs(t, err, os.ErrNotExist, "no burst units, no wfrac")
}
