// Guard for variable-length strings read from files we did not write.
//
// HDF5 keeps a variable-length string in a "global heap collection" and the
// attribute holds only a reference to it (length, collection address, object
// index). HDF5 1.10 (Debian bookworm's) trusts the collection: a damaged one
// makes H5Aread copy the heap object's size, not the string's, into a buffer
// of the string's length, or index past its object table, or loop forever on
// a zero-sized free-space block (fixed in 1.14). check_vlen_reference reads
// the raw reference without touching the heap, then walks the collection
// exactly as HDF5 will, with bounds checks, and throws IoError unless the
// read is safe. Global heap format: HDF5 File Format Specification v3,
// section III.E.
#pragma once
#include <hdf5.h>

#include <string>

namespace urbplex::io::h5 {

// attr: an open attribute whose type is a variable-length string; name for
// the error. Must be called under lock().
void check_vlen_reference(hid_t attr, const std::string& name);

}  // namespace urbplex::io::h5
