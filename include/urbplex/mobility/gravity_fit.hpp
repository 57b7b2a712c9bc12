// Calibration of gravity models by Poisson maximum likelihood (Flowerdew &
// Aitkin, "A method of fitting the gravity model based on the Poisson
// distribution", J. Regional Sci. 22, 1982):
//   unconstrained       log mu_ij = log K + alpha ln m_i + beta ln m_j - gamma g(d_ij),  IRLS
//   origin-constrained  mu_ij = O_i p_ij, p_ij ~ m_j^beta f(d_ij): Newton on (beta, gamma)
//                       with the origin effects profiled out (O_i = observed outflows)
//   doubly constrained  mu_ij = A_i B_j f(d_ij): 1-D root of the score in gamma,
//                       Furness balancing inside (Hyman, Environ. Plan. 1, 1969)
// g(d) = ln d (power deterrence) or d (exponential). Sums run over fixed row
// blocks, so the result does not depend on the thread count.
#pragma once
#include <span>

#include "urbplex/mobility/flows.hpp"

namespace urbplex::mobility {

struct GravityFit {
  GravityKind kind = GravityKind::unconstrained;
  DeterrenceKind deterrence = DeterrenceKind::power;
  double log_k = 0.0, alpha = 0.0, beta = 0.0, gamma = 0.0;
  double loglik = 0.0;  // Poisson log-likelihood over i != j
  int iterations = 0;
};

// observed: dense n*n flows (diagonal ignored), non-negative.
GravityFit fit_gravity(const Locations& locs, std::span<const double> observed, GravityKind kind,
                       DeterrenceKind deterrence, RunControl& control = RunControl::none());

}  // namespace urbplex::mobility
