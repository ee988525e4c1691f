package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/learn"
)

// digitsData is the repository's digits file seen from this package's
// directory.
var digitsData = filepath.Join("..", "..", learn.DefaultDigitsPath)

func TestLearnXOR(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := ncx(t, "learn", "xor", "--seeds", "2", "--epochs", "2", "--out", dir)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "xor: 32-32-2 burst network on profile a7, 2 epochs, 40 train / 40 test samples, 2 network seeds")
	assert.Contains(t, stdout, "on-core BDSP, both layers plastic")
	assert.Contains(t, stdout, "on-core BDSP, hidden frozen")
	assert.Contains(t, stdout, "solved (final test accuracy 1):")
	assert.NotContains(t, stdout, "wrote")
	for _, name := range []string{"xor_accuracy.png", "xor_margin.png", "xor_bursts.png", "xor_results.json"} {
		assert.FileExists(t, filepath.Join(dir, name))
		assert.Contains(t, stderr, "wrote "+filepath.Join(dir, name))
	}

	stdout, stderr, code = ncx(t, "learn", "xor", "--seeds", "1", "--epochs", "1", "--hidden", "4", "--frozen", "--json")
	require.Equal(t, exitOK, code, stderr)
	var r learn.Seeds
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Len(t, r.Runs, 1)
	assert.Equal(t, 4, r.Runs[0].Hidden)
	assert.Empty(t, r.Runs[0].OnCore)
	assert.Len(t, r.Runs[0].Frozen, 1)
}

func TestLearnDigits(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := ncx(t, "learn", "digits", "--epochs", "1", "--limit", "80",
		"--hidden", "20", "--out", dir)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "digits data: built-in data/digits.csv.gz (UCI optical digits, CC BY 4.0)")
	assert.Contains(t, stdout, "digits: 64-20-10 burst network on profile a7, 1 epochs, 80 train / 20 test samples")
	assert.Contains(t, stdout, "on-core BDSP, hidden frozen")
	assert.Contains(t, stdout, "float backprop")
	assert.Contains(t, stderr, "digits epoch 1:")
	for _, name := range []string{"digits_accuracy.png", "digits_bursts.png", "digits_results.json"} {
		assert.FileExists(t, filepath.Join(dir, name))
		assert.Contains(t, stderr, "wrote "+filepath.Join(dir, name))
	}

	stdout, stderr, code = ncx(t, "learn", "digits", "--data", digitsData, "--epochs", "1", "--limit", "40", "--hidden", "10", "--json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "digits data: "+digitsData)
	var r learn.Seeds
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Len(t, r.Runs, 1)
	assert.Equal(t, 40, r.Runs[0].TrainSamples)
	assert.Equal(t, 10, r.Runs[0].Hidden)
	assert.Len(t, r.Runs[0].OnCore, 1)
	assert.Len(t, r.Runs[0].Frozen, 1, "the frozen-hidden comparison runs next to the plastic one")
}

// TestLearnFile: a learning network in YAML runs with the generic command.
func TestLearnFile(t *testing.T) {
	stdout, stderr, code := ncx(t, "learn", filepath.Join("..", "..", "examples", "xor.yaml"), "--epochs", "3")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "xor: 32-32-2 burst network on profile a7, 3 epochs, 40 train / 40 test samples, 1 network seeds")
	assert.Contains(t, stdout, "per seed (0)")
}

func TestLearnErrors(t *testing.T) {
	for _, args := range [][]string{
		{"learn", "xor", "--seeds", "0"},
		{"learn", "xor", "extra"},
		{"learn", "xor", "--hidden", "0"},
		{"learn", "digits", "--epochs", "-1"},
		{"learn", "digits", "--hidden", "0"},
		{"learn", "digits", "--limit", "-1"},
		{"learn", "digits", "--data", filepath.Join(t.TempDir(), "missing.csv")},
		{"learn", filepath.Join(t.TempDir(), "missing.yaml")},
		{"learn", "a.yaml", "b.yaml"},
	} {
		_, stderr, code := ncx(t, args...)
		assert.Equal(t, exitBadInput, code, "%v: %s", args, stderr)
	}
}
