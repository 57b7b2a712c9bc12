// Version of this build, stamped into every saved file.
#pragma once

namespace urbplex {
const char* version();       // the package version, e.g. "0.1.0"
const char* git_describe();  // `git describe` of the source tree at configure time
}  // namespace urbplex
