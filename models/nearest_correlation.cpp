#include "nearest_correlation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace padsim::models::detail {

namespace {

// Projection onto the positive semi-definite cone: clip negative eigenvalues to 0.
Eigen::MatrixXd project_psd(const Eigen::MatrixXd& a) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(a);
  const Eigen::VectorXd clipped = eig.eigenvalues().cwiseMax(0.0);
  return eig.eigenvectors() * clipped.asDiagonal() * eig.eigenvectors().transpose();
}

}  // namespace

double smallest_eigenvalue(const Eigen::MatrixXd& symmetric) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(symmetric, Eigen::EigenvaluesOnly);
  return eig.eigenvalues().minCoeff();
}

Eigen::MatrixXd nearest_correlation(const Eigen::MatrixXd& a) {
  const Eigen::Index n = a.rows();
  Eigen::MatrixXd y = a;
  Eigen::MatrixXd correction = Eigen::MatrixXd::Zero(n, n);
  for (int iteration = 0; iteration < 1000; ++iteration) {
    const Eigen::MatrixXd r = y - correction;
    const Eigen::MatrixXd x = project_psd(r);
    correction = x - r;
    Eigen::MatrixXd next = x;
    next.diagonal().setOnes();  // projection onto unit-diagonal matrices
    const double change = (next - y).norm() / std::max(1.0, y.norm());
    y = next;
    if (change < 1e-12) break;
  }
  // The last projection restored the unit diagonal and may have left eigenvalues a hair below 0;
  // one more clip and rescale makes the result PSD to rounding with the diagonal still exact.
  Eigen::MatrixXd psd = project_psd(y);
  const Eigen::VectorXd scale = psd.diagonal().cwiseSqrt().cwiseInverse();
  psd = scale.asDiagonal() * psd * scale.asDiagonal();
  psd = (psd + psd.transpose()) / 2.0;
  psd.diagonal().setOnes();
  return psd;
}

Eigen::MatrixXd pearson_from_rank(const Eigen::MatrixXd& rank) {
  Eigen::MatrixXd p = rank.unaryExpr([](double rho) { return 2.0 * std::sin(std::numbers::pi * rho / 6.0); });
  p.diagonal().setOnes();
  return p;
}

Eigen::MatrixXd copula_factor(const Eigen::MatrixXd& pearson) {
  Eigen::LLT<Eigen::MatrixXd> llt(pearson);
  if (llt.info() == Eigen::Success) return llt.matrixL();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(pearson);
  const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eig.eigenvectors() * root.asDiagonal();
}

}  // namespace padsim::models::detail
