// Package hdf5 reads and writes the subset of HDF5 that neural-network
// exchange files (NIR graphs written by h5py) use. It is pure Go and strict:
// whatever lies outside the subset is an *Error naming the structure and its
// file offset, never a guess.
//
// Reading supports
//   - superblock versions 0, 1, 2 and 3 (8-, 4- or 2-byte offsets and lengths);
//   - object headers version 1 and 2 ("OHDR"), with continuation blocks;
//   - groups stored as symbol tables (v1 B-tree + local heap) and as link
//     messages, compact or dense (fractal heap + v2 B-tree name index); hard
//     links only;
//   - datasets with compact, contiguous and chunked storage; chunk indexes:
//     v1 B-tree (h5py's default), single chunk, implicit and fixed array
//     (libver='latest' for datasets that cannot grow); filters deflate,
//     shuffle and fletcher32;
//   - datatypes: IEEE float32/float64 and integers of 8 to 64 bits in either
//     byte order, fixed-length strings, variable-length strings (global heap),
//     enumerations over integers (h5py's booleans are the enum FALSE=0,
//     TRUE=1 and read as bools);
//   - attributes, compact or dense.
//
// Not supported (an *Error says so): shared messages, soft and external
// links, compound, array, reference, opaque and bitfield types, variable-
// length sequences other than strings, extensible-array and v2-B-tree chunk
// indexes (datasets that can grow, written with libver='latest'), filters
// other than the three above, external storage and virtual datasets.
//
// Every size read from a file is checked against the file's length before
// anything is allocated, so a corrupt or hostile file costs at most a bounded
// multiple of its own size (decompressed data is bounded by the dataset's
// declared size, which is itself bounded, see MaxDataBytes).
//
// Writing (Writer) produces the layout that the widest range of readers
// accepts: superblock version 0, version-1 object headers, symbol-table
// groups and contiguous datasets, variable-length strings in global heap
// collections. h5py and h5dump read these files (tested when installed).
package hdf5
