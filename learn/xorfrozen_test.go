package learn

import (
	"os"
	"testing"
)

func TestXORFrozenCompare(t *testing.T) {
	if os.Getenv("LEARN_FULL") == "" {
		t.Skip("set LEARN_FULL to compare XOR with a frozen hidden layer")
	}
	net := DefaultXORNet()
	net.FrozenHidden = true
	r, err := RunXOR(XORConfig{Net: net})
	if err != nil {
		t.Fatal(err)
	}
	r.WriteText(os.Stdout)
}
