package errw

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// failAfter accepts n bytes, then fails every write.
type failAfter struct {
	n   int
	buf bytes.Buffer
}

var errFull = errors.New("full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.buf.Len()+len(p) > f.n {
		k := f.n - f.buf.Len()
		f.buf.Write(p[:k])
		return k, errFull
	}
	return f.buf.Write(p)
}

func TestFirstErrorSticks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int
		want  string
		err   error
	}{
		{"fits", 100, "a=1 bc d", nil},
		{"fails in the middle", 5, "a=1 b", errFull},
		{"fails at once", 0, "", errFull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &failAfter{n: tc.limit}
			e := New(f)
			e.Printf("a=%d ", 1)
			_, _ = e.WriteString("bc")
			_, _ = e.Write([]byte(" d"))
			require.Equal(t, tc.want, f.buf.String())
			require.ErrorIs(t, e.Err(), tc.err)
			if tc.err != nil {
				// nothing more reaches the writer, and the error is the first one
				e.Keep(errors.New("later"))
				_, err := e.WriteString("more")
				require.ErrorIs(t, err, errFull)
				require.Equal(t, tc.want, f.buf.String())
			}
		})
	}
}

func TestKeepOnlyFirst(t *testing.T) {
	var b bytes.Buffer
	e := New(&b)
	first := errors.New("first")
	e.Keep(nil)
	require.NoError(t, e.Err())
	e.Keep(first)
	e.Keep(errors.New("second"))
	require.Equal(t, first, e.Err())
	e.Printf("x")
	require.Empty(t, b.String())
}
