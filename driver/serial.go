package driver

import (
	"fmt"
	"sort"
	"time"

	"go.bug.st/serial"
	"go.bug.st/serial/enumerator"
)

// serialPort adapts a go.bug.st/serial port to Port.
type serialPort struct {
	p    serial.Port
	name string
}

// OpenSerial opens a serial device at baud, 8N1, no flow control.
func OpenSerial(name string, baud int) (Port, error) {
	p, err := serial.Open(name, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("driver: %s: open: %w", name, err)
	}
	if err := p.ResetInputBuffer(); err != nil {
		p.Close()
		return nil, fmt.Errorf("driver: %s: flush input: %w", name, err)
	}
	return &serialPort{p: p, name: name}, nil
}

func (s *serialPort) Read(b []byte) (int, error)  { return s.p.Read(b) }
func (s *serialPort) Write(b []byte) (int, error) { return s.p.Write(b) }
func (s *serialPort) Close() error                { return s.p.Close() }
func (s *serialPort) String() string              { return s.name }
func (s *serialPort) SetReadTimeout(d time.Duration) error {
	if d <= 0 {
		d = serial.NoTimeout
	}
	return s.p.SetReadTimeout(d)
}

// PortInfo describes a serial device found by ListPorts.
type PortInfo struct {
	Name    string
	USB     bool
	VID     string
	PID     string
	Serial  string
	Product string
}

// ListPorts lists the serial devices of this machine, sorted by name.
func ListPorts() ([]PortInfo, error) {
	var out []PortInfo
	det, err := enumerator.GetDetailedPortsList()
	if err == nil {
		for _, d := range det {
			out = append(out, PortInfo{Name: d.Name, USB: d.IsUSB, VID: d.VID, PID: d.PID, Serial: d.SerialNumber, Product: d.Product})
		}
	} else {
		names, err2 := serial.GetPortsList()
		if err2 != nil {
			return nil, fmt.Errorf("driver: list ports: %w", err2)
		}
		for _, n := range names {
			out = append(out, PortInfo{Name: n})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out, nil
}
