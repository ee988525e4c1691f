package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
)

// ReadbackOptions are the inputs of ncx readback.
type ReadbackOptions struct {
	F *Factory
	BoardOptions
	Out string
}

func newReadbackCmd(f *Factory) *cobra.Command {
	opts := &ReadbackOptions{F: f}
	cmd := &cobra.Command{
		Use:   "readback --port P -o IMAGE",
		Short: "Read the image an ncx-core board holds",
		Long: strings.TrimSpace(`
Read every memory of an ncx-core board and write it as an image file. The
image has the board's profile and current state (weights after learning,
membrane potentials, traces); it has no population names or stimulus, which
live only on the host. NeuroCoreX boards cannot be read back this way.`),
		Example: strings.TrimSpace(`
$ ncx readback --port /dev/ttyUSB1 -o learned.ncx`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Target != targetNCX {
				return &usageError{err: fmt.Errorf("readback works with --target ncx only: NeuroCoreX returns only its FF weights")}
			}
			if opts.Out == "" {
				return &usageError{err: fmt.Errorf("-o IMAGE is required")}
			}
			return readbackRun(opts)
		},
	}
	opts.flags(cmd)
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "image file to write")
	return cmd
}

func readbackRun(opts *ReadbackOptions) error {
	c, err := opts.openNCX()
	if err != nil {
		return err
	}
	defer c.Close()
	im, err := c.Readback(nil)
	if err != nil {
		return err
	}
	im.Meta.Name = "readback"
	im.Meta.Source = opts.Port
	if err := core.WriteImage(opts.Out, im); err != nil {
		return err
	}
	fmt.Fprintf(opts.F.ErrOut, "wrote %s: %d neurons, %d synapse words, %d fan-in words (profile %s)\n", opts.Out, im.NumNeurons, len(im.Syn), len(im.Rev), im.Profile.Name)
	return nil
}
