package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// buildVersion is version, or the module version and VCS revision that the
// Go toolchain stamped into the binary.
func buildVersion() string {
	if version != "" {
		return version
	}
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " (" + rev + dirty + ")"
		}
	}
	return v
}

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of ncx",
		Long: strings.TrimSpace(`
Print the version of ncx, the core specification version it implements, the
image file format it reads and writes, and the Go toolchain it was built with.`),
		Example: strings.TrimSpace(`
$ ncx version`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(f.Out, "ncx %s\ncore spec version %d, image format %d\nbuilt with %s %s/%s\n",
				buildVersion(), core.CoreVersion, core.ImageFormat, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
