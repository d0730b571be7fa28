#pragma once
// Private to padsim::models: correlation matrices for the Gaussian copula of repair durations.
// Eigen types never leave the models library.

#include <Eigen/Dense>

namespace padsim::models::detail {

/// The smallest eigenvalue of a symmetric matrix.
double smallest_eigenvalue(const Eigen::MatrixXd& symmetric);

/// The nearest correlation matrix (Frobenius norm) to a symmetric matrix with a unit diagonal:
/// Higham's alternating projections with Dykstra's correction (IMA J. Numer. Anal. 22, 2002).
/// The result is symmetric, has a unit diagonal and no eigenvalue below -1e-12.
Eigen::MatrixXd nearest_correlation(const Eigen::MatrixXd& a);

/// The Pearson correlation of the normal variates that gives rank correlation `rho` between their
/// uniforms: 2 sin(pi rho / 6) (exact for the Gaussian copula).
Eigen::MatrixXd pearson_from_rank(const Eigen::MatrixXd& rank);

/// A factor L with L L^T = `pearson` (positive semi-definite): Cholesky when the matrix is positive
/// definite, else the eigen-decomposition with eigenvalues clipped at 0 (a singular matrix, such
/// as rho = 1 between two tasks, has no Cholesky factor but is a valid correlation).
Eigen::MatrixXd copula_factor(const Eigen::MatrixXd& pearson);

}  // namespace padsim::models::detail
