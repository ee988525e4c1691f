package sim

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ncx-project/ncx/driver"
)

// Faulty serves Server through a line with faults: what the board receives
// passes ToBoard, what it sends passes ToHost. "ncx board sim --drop ..."
// puts it between the pseudo-terminal and the board, so that a bad cable can
// be rehearsed with the real client.
type Faulty struct {
	Server          Server
	ToBoard, ToHost Faults
	Seed            uint64
}

// Serve implements Server.
func (f Faulty) Serve(p driver.Port) error {
	return f.Server.Serve(&faultyPort{Port: p, in: f.ToBoard, out: f.ToHost,
		rin: rand.New(rand.NewPCG(f.Seed, 1)), rout: rand.New(rand.NewPCG(f.Seed, 2))})
}

// faultyPort applies faults to the bytes read from and written to Port.
type faultyPort struct {
	driver.Port
	in, out   Faults
	rmu, wmu  sync.Mutex
	rin, rout *rand.Rand
	pending   []byte // faulted bytes read but not yet returned (duplicates)
}

func (p *faultyPort) Read(b []byte) (int, error) {
	p.rmu.Lock()
	defer p.rmu.Unlock()
	if len(p.pending) == 0 {
		buf := make([]byte, len(b))
		n, err := p.Port.Read(buf)
		if n == 0 || err != nil {
			return 0, err
		}
		data, stall := p.in.apply(p.rin, buf[:n])
		if stall > 0 {
			time.Sleep(stall)
		}
		p.pending = data
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

func (p *faultyPort) Write(b []byte) (int, error) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	data, stall := p.out.apply(p.rout, b)
	if stall > 0 {
		time.Sleep(stall)
	}
	if _, err := p.Port.Write(data); err != nil {
		return 0, err
	}
	return len(b), nil
}
