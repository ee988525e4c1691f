package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/ncx-project/ncx/driver"
)

// Bridge is a Server that forwards bytes between the client's port and
// another board-side port, such as the UART pins of a Verilated board top
// (driver/rtlboard). It adds nothing of its own, so what the client sees is
// exactly what that board sends.
type Bridge struct {
	Board driver.Port
}

// Serve copies bytes both ways until either side fails.
func (b Bridge) Serve(p driver.Port) error {
	const poll = 20 * time.Millisecond
	if err := p.SetReadTimeout(poll); err != nil {
		return fmt.Errorf("sim: bridge: %w", err)
	}
	if err := b.Board.SetReadTimeout(poll); err != nil {
		return fmt.Errorf("sim: bridge: %w", err)
	}
	errc := make(chan error, 2)
	pump := func(dst, src driver.Port, what string) {
		buf := make([]byte, 4096)
		for {
			n, err := src.Read(buf)
			if err != nil {
				errc <- fmt.Errorf("sim: bridge %s: %w", what, err)
				return
			}
			if n == 0 {
				continue
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				errc <- fmt.Errorf("sim: bridge %s: %w", what, err)
				return
			}
		}
	}
	go pump(b.Board, p, "client to board")
	go pump(p, b.Board, "board to client")
	err := <-errc
	if errors.Is(err, driver.ErrPortGone) {
		return nil
	}
	return err
}
