#include "padsim/quantile_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

#include "padsim/error.hpp"

namespace padsim {

namespace {

constexpr int kDropped = 52 - QuantileSketch::kMantissaBits;  // mantissa bits set to zero
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << QuantileSketch::kMantissaBits) - 1;

/// The truncated magnitude's key: biased exponent and the kept mantissa bits.
std::uint64_t magnitude_key(double x) {
  return (std::bit_cast<std::uint64_t>(x) & ~kSignBit) >> kDropped;
}

double value_of(bool negative, std::uint64_t key) {
  return std::bit_cast<double>((key << kDropped) | (negative ? kSignBit : 0));
}

}  // namespace

QuantileSketch::QuantileSketch(const QuantileSketch& other)
    : finite_(other.finite_), beyond_(other.beyond_), min_(other.min_), max_(other.max_) {
  for (int s = 0; s < 2; ++s) {
    pages_[s].resize(other.pages_[s].size());
    for (std::size_t p = 0; p < other.pages_[s].size(); ++p)
      if (other.pages_[s][p]) pages_[s][p] = std::make_unique<Page>(*other.pages_[s][p]);
  }
}

QuantileSketch& QuantileSketch::operator=(const QuantileSketch& other) {
  if (this != &other) *this = QuantileSketch(other);
  return *this;
}

void QuantileSketch::add(double x) {
  assert(!std::isnan(x));
  if (x == std::numeric_limits<double>::infinity()) {
    ++beyond_;
    return;
  }
  if (x == 0.0) x = 0.0;  // -0 is 0
  if (finite_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++finite_;
  const int sign = std::signbit(x) ? 1 : 0;
  const std::uint64_t key = magnitude_key(x);
  auto& pages = pages_[sign];
  if (pages.empty()) pages.resize(kPages);
  auto& page = pages[key >> kMantissaBits];
  if (!page) page = std::make_unique<Page>();  // value-initialised: zero counts
  ++(*page)[key & kIndexMask];
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.finite_ != 0) {
    if (finite_ == 0) {
      min_ = other.min_;
      max_ = other.max_;
    } else {
      min_ = std::min(min_, other.min_);
      max_ = std::max(max_, other.max_);
    }
  }
  finite_ += other.finite_;
  beyond_ += other.beyond_;
  for (int s = 0; s < 2; ++s) {
    if (other.pages_[s].empty()) continue;
    if (pages_[s].empty()) pages_[s].resize(kPages);
    for (std::size_t p = 0; p < kPages; ++p) {
      const auto& from = other.pages_[s][p];
      if (!from) continue;
      auto& to = pages_[s][p];
      if (!to) {
        to = std::make_unique<Page>(*from);
        continue;
      }
      for (std::size_t i = 0; i < kPageSize; ++i) (*to)[i] += (*from)[i];
    }
  }
}

double QuantileSketch::min() const noexcept {
  return finite_ == 0 ? std::numeric_limits<double>::quiet_NaN() : min_;
}

double QuantileSketch::max() const noexcept {
  return finite_ == 0 ? std::numeric_limits<double>::quiet_NaN() : max_;
}

std::vector<std::pair<double, std::uint64_t>> QuantileSketch::runs() const {
  std::vector<std::pair<double, std::uint64_t>> out;
  // Negative values first, largest magnitude first; then zero and the positive ones ascending.
  if (!pages_[1].empty())
    for (std::size_t p = kPages; p-- > 0;) {
      if (!pages_[1][p]) continue;
      for (std::size_t i = kPageSize; i-- > 0;)
        if (const std::uint64_t c = (*pages_[1][p])[i]; c != 0)
          out.emplace_back(value_of(true, (p << kMantissaBits) | i), c);
    }
  if (!pages_[0].empty())
    for (std::size_t p = 0; p < kPages; ++p) {
      if (!pages_[0][p]) continue;
      for (std::size_t i = 0; i < kPageSize; ++i)
        if (const std::uint64_t c = (*pages_[0][p])[i]; c != 0)
          out.emplace_back(value_of(false, (p << kMantissaBits) | i), c);
    }
  return out;
}

std::vector<std::uint64_t> QuantileSketch::serialize() const {
  std::vector<std::uint64_t> words = {finite_, beyond_, std::bit_cast<std::uint64_t>(min_),
                                      std::bit_cast<std::uint64_t>(max_)};
  // (value bits, count) per non-zero count: what runs() lists, with the sign in the value.
  for (const auto& [value, count] : runs()) {
    words.push_back(std::bit_cast<std::uint64_t>(value));
    words.push_back(count);
  }
  return words;
}

QuantileSketch QuantileSketch::deserialize(const std::uint64_t* words, std::size_t size) {
  if (size < 4 || size % 2 != 0) throw Error("a serialized quantile sketch has a wrong size");
  QuantileSketch s;
  std::uint64_t counted = 0;
  for (std::size_t w = 4; w < size; w += 2) {
    const double value = std::bit_cast<double>(words[w]);
    const int sign = std::signbit(value) ? 1 : 0;
    const std::uint64_t key = magnitude_key(value);
    auto& pages = s.pages_[sign];
    if (pages.empty()) pages.resize(kPages);
    auto& page = pages[key >> kMantissaBits];
    if (!page) page = std::make_unique<Page>();
    (*page)[key & kIndexMask] += words[w + 1];
    counted += words[w + 1];
  }
  s.finite_ = words[0];
  s.beyond_ = words[1];
  s.min_ = std::bit_cast<double>(words[2]);
  s.max_ = std::bit_cast<double>(words[3]);
  if (counted != s.finite_) throw Error("a serialized quantile sketch's counts do not add up");
  return s;
}

}  // namespace padsim
