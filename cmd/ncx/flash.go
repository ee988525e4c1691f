package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/drivertest"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/internal/atomicfile"
)

// BoardOptions are the flags every board command shares.
type BoardOptions struct {
	Port   string
	Baud   int
	Target string
	Record string // write the session's bytes here as a drivertest fixture
	// TimeScale stretches the NeuroCoreX client's timeouts for a board that
	// runs slower than real time (the VHDL under GHDL).
	TimeScale float64
}

func (o *BoardOptions) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&o.Port, "port", "p", "", "serial device of the board (see ncx ports)")
	fl.IntVar(&o.Baud, "baud", 1_000_000, "line rate in baud")
	fl.StringVar(&o.Target, "target", targetNCX, "board kind: ncx or neurocorex")
	fl.StringVar(&o.Record, "record", "", "write every byte of the session to FILE as a drivertest playback fixture")
	fl.Float64Var(&o.TimeScale, "time-scale", 1, "--target neurocorex: the board runs this many times slower than real time (a simulated one); stretches every wait")
}

// recordingPort logs a session and writes it as a Go test fixture when the
// port is closed, so a session with a real board becomes a byte-script test.
type recordingPort struct {
	*drivertest.Record
	path string
	name string
}

func (r *recordingPort) Close() error {
	err := r.Record.Close()
	werr := atomicfile.Write(r.path, func(w *bufio.Writer) error {
		_, err := fmt.Fprintf(w, "// Session with %s recorded by ncx --record; replay with drivertest.Playback.\n%s\n",
			r.name, drivertest.GoString(r.Script()))
		return err
	})
	return errors.Join(err, werr)
}

func (r *recordingPort) String() string { return r.name }

// openPort opens the serial port, wrapped in a recorder when --record is set.
func (o *BoardOptions) openPort() (driver.Port, error) {
	p, err := driver.OpenSerial(o.Port, o.Baud)
	if err != nil || o.Record == "" {
		return p, err
	}
	return &recordingPort{Record: &drivertest.Record{Port: p}, path: o.Record, name: o.Port}, nil
}

func (o *BoardOptions) check() error {
	if o.Port == "" {
		return &usageError{err: fmt.Errorf("--port is required (see ncx ports)")}
	}
	if o.Baud <= 0 {
		return &usageError{err: fmt.Errorf("--baud must be positive, got %d", o.Baud)}
	}
	if o.TimeScale != 0 && o.TimeScale < 1 {
		return &usageError{err: fmt.Errorf("--time-scale must be at least 1, got %g", o.TimeScale)}
	}
	return checkTarget(o.Target)
}

// openNCX opens an ncx-core board.
func (o *BoardOptions) openNCX() (*driver.Client, error) {
	p, err := o.openPort()
	if err != nil {
		return nil, err
	}
	return driver.Open(p, &driver.Options{Name: o.Port, Baud: o.Baud})
}

// openNeuroCoreX opens a NeuroCoreX board.
func (o *BoardOptions) openNeuroCoreX() (*neurocorex.Client, driver.Port, error) {
	p, err := o.openPort()
	if err != nil {
		return nil, nil, err
	}
	c := neurocorex.NewClient(p, o.Port)
	c.Scale(o.TimeScale)
	return c, p, nil
}

// FlashOptions are the inputs of ncx flash.
type FlashOptions struct {
	F *Factory
	BoardOptions
	Image string
}

func newFlashCmd(f *Factory) *cobra.Command {
	opts := &FlashOptions{F: f}
	cmd := &cobra.Command{
		Use:   "flash IMAGE --port P",
		Short: "Load an image into a board and verify it by reading it back",
		Long: strings.TrimSpace(`
Load a compiled image into a board over its serial port, then read every
memory back and compare.

--target ncx (default) speaks wire protocol v3 to an ncx-core board: every
frame is checked and acknowledged, lost or corrupted frames are resent, and
the readback covers every word written.

--target neurocorex lowers the image to NeuroCoreX's tables (refusing, with
the reason, networks it cannot represent) and uploads them in the order of
its host notebooks. NeuroCoreX has no acknowledgements; its readback returns
9,215 of the 9,216 feed-forward weights, and those are compared.`),
		Example: strings.TrimSpace(`
$ ncx flash small.ncx --port /dev/ttyUSB1
$ ncx flash small.ncx --port /dev/ttyUSB1 --baud 3000000
$ ncx flash small.ncx --port /dev/ttyUSB1 --target neurocorex`),
		Args: exactArgs(1, "image"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Image = args[0]
			if err := opts.check(); err != nil {
				return err
			}
			return flashRun(opts)
		},
	}
	opts.flags(cmd)
	return cmd
}

func flashRun(opts *FlashOptions) error {
	f := opts.F
	im, err := core.ReadImage(opts.Image)
	if err != nil {
		return badInput(err)
	}
	start := time.Now()
	if opts.Target == targetNeuroCoreX {
		t, _, err := neurocorex.Lower(im)
		if err != nil {
			return badInput(err)
		}
		c, p, err := opts.openNeuroCoreX()
		if err != nil {
			return err
		}
		defer p.Close()
		if err := c.Upload(t); err != nil {
			return err
		}
		w, err := c.ReadWeights()
		if err != nil {
			return err
		}
		if err := neurocorex.VerifyFF(t, w); err != nil {
			return err
		}
		fmt.Fprintf(f.ErrOut, "flashed %s to NeuroCoreX on %s and verified %d FF weights in %v\n", opts.Image, opts.Port, len(w), time.Since(start).Round(time.Millisecond))
		return nil
	}
	c, err := opts.openNCX()
	if err != nil {
		return err
	}
	defer c.Close()
	var progress func(done, total int)
	if f.showProgress() {
		var bar *progressbar.ProgressBar
		progress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f.ErrOut),
					progressbar.OptionSetDescription("flash + verify"), progressbar.OptionShowBytes(true),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}
	}
	if err := c.Flash(im, progress); err != nil {
		return err
	}
	in := c.Info()
	fmt.Fprintf(f.ErrOut, "flashed %s to %s (%s, core v%d) and verified it in %v\n", opts.Image, opts.Port, in.Board, in.CoreVersion, time.Since(start).Round(time.Millisecond))
	return nil
}
