// City Clustering Algorithm (H. D. Rozenfeld, D. Rybski, J. S. Andrade Jr.,
// M. Batty, H. E. Stanley & H. A. Makse, "Laws of population growth",
// PNAS 105, 18702, 2008).
//
// Cells of a population grid with population >= threshold (and > 0) are
// populated; two populated cells closer than `ell` (centre to centre) belong
// to the same city; cities are the clusters of that relation.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace urbplex::percolation {

// City label of each cell (0..K-1 in order of lowest cell), -1 if unpopulated.
std::vector<std::int64_t> city_clustering(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> population, double threshold, double ell);

}  // namespace urbplex::percolation
