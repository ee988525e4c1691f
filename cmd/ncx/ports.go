package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/driver"
)

func newPortsCmd(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ports",
		Short: "List the serial ports a board may be on",
		Long: strings.TrimSpace(`
List this machine's serial devices with their USB vendor and product ids,
serial number and product name where the system knows them. A CMod A7 shows
up as an FTDI device (VID 0403).`),
		Example: strings.TrimSpace(`
$ ncx ports
$ ncx ports --json`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			ps, err := driver.ListPorts()
			if err != nil {
				return err
			}
			if asJSON {
				if ps == nil {
					ps = []driver.PortInfo{}
				}
				enc := json.NewEncoder(f.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(ps)
			}
			if len(ps) == 0 {
				fmt.Fprintln(f.ErrOut, "no serial ports found")
				return nil
			}
			tw := tabwriter.NewWriter(f.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PORT\tUSB\tVID:PID\tSERIAL\tPRODUCT")
			for _, p := range ps {
				usb, id := "no", ""
				if p.USB {
					usb, id = "yes", p.VID+":"+p.PID
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, usb, id, p.Serial, p.Product)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	return cmd
}
