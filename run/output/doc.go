// Package output writes the results of a run of a compiled network, whether
// the run happened in the emulator (package emulate) or on a board (package
// driver): spike lists, probed traces, final weights, per-step cycle counts
// and a summary. Every file is written atomically: it appears complete under
// its final name or not at all.
//
// # Files of an output directory
//
//	spikes.csv   step,time_ms,neuron,population,cycle
//	spikes.bin   the same spikes, compact (format below)
//	bursts.csv   the spikes that carry the burst flag, as spikes.csv (burst units only)
//	traces.csv   step,time_ms,neuron,population,var,raw,physical
//	weights.csv  address,pre,post,projection,rule,wexp,weight_raw,weight_physical
//	cycles.csv   step,cycles,spikes,synapse_events,fanin_events,bursts,burst_events
//	summary.json the Summary of the run
//
// In spikes.csv, step counts from 0, time_ms is step·dt, and cycle is the
// clock cycle of the spike output event counted from the start of the run
// (the cycle counts of all earlier steps plus the step-relative cycle of spec
// section 5). traces.csv holds the value of a probed variable after each
// step; physical is in millivolts for v and i of populations with a known
// VScale (raw·VScale, plus for v the population's resting potential, which
// the core represents as 0, so v is absolute) and empty otherwise. In weights.csv, weight_physical is
// weight_raw·WScale of the projection, empty when the scale is unknown.
//
// # spikes.bin, version 1
//
// All integers after the magic are unsigned LEB128 varints
// (encoding/binary.AppendUvarint), so the file is independent of byte order:
//
//	magic        4 bytes "NCXS"
//	version      1 byte, = 1
//	num_neurons  varint; every neuron id is below it
//	steps        varint; number of step records that follow
//	step record, repeated steps times:
//	    cycles   varint; cycle count T of the step (0 if unknown)
//	    count    varint; K, spikes in the step, at most num_neurons
//	    ids      K varints: the first neuron id, then for each following
//	             spike (id − previous id − 1); ids are strictly ascending
//
// Burst flags are not part of version 1; bursts.csv carries them. Nothing
// may follow the last step record. A step with no spikes costs two
// bytes when its cycle count is below 128, an ordinary dense step about one
// byte per spike. ReadSpikesBin checks every rule above and reports the byte
// offset of the first violation.
package output
