package core

//go:generate go run ./gentiming ../hdl/ncx_timing.vh
