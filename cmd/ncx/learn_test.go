package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/learn"
)

// digitsData is the shared digits file seen from this package's directory.
var digitsData = filepath.Join("..", "..", learn.DefaultDigitsPath)

func TestLearnXOR(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := ncx(t, "learn", "xor", "--seeds", "1", "--epochs", "2", "--out", dir)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "xor: 32-32-2 burst network, 2 epochs")
	assert.Contains(t, stdout, "hidden plastic  accuracy mean")
	assert.Contains(t, stdout, "hidden frozen   accuracy mean")
	assert.NotContains(t, stdout, "wrote")
	assert.Contains(t, stderr, "wrote "+filepath.Join(dir, "xor_accuracy.png"))
	assert.FileExists(t, filepath.Join(dir, "xor_accuracy.png"))

	stdout, stderr, code = ncx(t, "learn", "xor", "--seeds", "1", "--epochs", "1", "--hidden", "4", "--frozen", "--json")
	require.Equal(t, exitOK, code, stderr)
	var r learn.XORResult
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Len(t, r.Seeds, 1)
	assert.True(t, r.Config.Net.FrozenHidden)
	assert.Equal(t, 4, r.Config.Net.Hidden)
	assert.Empty(t, r.FrozenSeeds)
}

func TestLearnDigits(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := ncx(t, "learn", "digits", "--data", digitsData, "--epochs", "1", "--limit", "80",
		"--hidden", "20", "--frozen", "--out", dir)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "digits 8x8: 80 train / 20 test")
	assert.Contains(t, stdout, "64-20-10 burst network")
	assert.Contains(t, stdout, "on-core BDSP, hidden frozen")
	assert.Contains(t, stdout, "float backprop")
	assert.Contains(t, stdout, "NeuroCoreX (published)")
	assert.Contains(t, stderr, "digits epoch 1:")
	for _, name := range []string{"digits_accuracy.png", "digits_bursts.png", "results.json"} {
		assert.FileExists(t, filepath.Join(dir, name))
		assert.Contains(t, stderr, "wrote "+filepath.Join(dir, name))
	}

	stdout, stderr, code = ncx(t, "learn", "digits", "--data", digitsData, "--epochs", "1", "--limit", "40", "--hidden", "10", "--json")
	require.Equal(t, exitOK, code, stderr)
	var r learn.DigitsResult
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Equal(t, 40, r.TrainSamples)
	assert.Equal(t, 10, r.Config.Net.Hidden)
	assert.False(t, r.Config.Net.FrozenHidden)
	assert.Len(t, r.OnCore, 1)
	assert.Len(t, r.Frozen, 1, "the frozen-hidden comparison runs next to the plastic one")
}

func TestLearnErrors(t *testing.T) {
	for _, args := range [][]string{
		{"learn", "xor", "--seeds", "0"},
		{"learn", "xor", "extra"},
		{"learn", "xor", "--hidden", "0"},
		{"learn", "digits", "--epochs", "0"},
		{"learn", "digits", "--hidden", "0"},
		{"learn", "digits", "--limit", "-1"},
		{"learn", "digits", "--data", filepath.Join(t.TempDir(), "missing.csv")},
	} {
		_, stderr, code := ncx(t, args...)
		assert.Equal(t, exitBadInput, code, "%v: %s", args, stderr)
	}
}
