// The text form of a distribution: `7`, `pert(20, 28, 40)`, `lognormal(p10=30, p90=90)`, ...
#include "padsim/distribution_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>


namespace padsim {

const std::vector<std::string_view>& positional_parameters(DistributionKind kind) {
  static const std::vector<std::string_view> fixed{"value"}, uniform{"min", "max"},
      tri{"min", "mode", "max"}, pert{"min", "mode", "max", "lambda"}, normal{"mean", "sd"},
      lognormal{"mean", "sd"}, gamma{"shape", "scale"}, weibull{"shape", "scale"},
      exponential{"mean"}, trigen{"low", "mode", "high", "low_pct", "high_pct"}, none{};
  switch (kind) {
    case DistributionKind::kFixed: return fixed;
    case DistributionKind::kUniform: return uniform;
    case DistributionKind::kTriangular: return tri;
    case DistributionKind::kPert: return pert;
    case DistributionKind::kNormal: return normal;
    case DistributionKind::kLognormal: return lognormal;
    case DistributionKind::kGamma: return gamma;
    case DistributionKind::kWeibull: return weibull;
    case DistributionKind::kExponential: return exponential;
    case DistributionKind::kTrigen: return trigen;
    case DistributionKind::kDiscrete:
    case DistributionKind::kEmpirical: return none;
  }
  return none;
}

namespace {

/// A recursive-descent reader over the text that knows where it is, for messages.
class Reader {
 public:
  Reader(std::string_view text, const SourcePosition& where) : text_(text), where_(where) {
    if (where_.line == 0) where_.line = 1;
    if (where_.column == 0) where_.column = 1;
  }

  [[noreturn]] void fail(std::size_t at, const std::string& message) const {
    SourcePosition p = where_;
    p.column += static_cast<int>(at);
    throw InputError(p, message);
  }
  [[noreturn]] void expected(const std::string& what) const {
    fail(pos_, "expected " + what + ", found " + found());
  }
  std::string found() const {
    if (pos_ >= text_.size()) return "the end of the text";
    return "'" + std::string(1, text_[pos_]) + "'";
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void require(char c) {
    if (!accept(c)) expected(std::string("'") + c + "'");
  }
  std::size_t pos() {
    skip_space();
    return pos_;
  }

  std::optional<std::string> identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
      ++pos_;
    if (pos_ == start || std::isdigit(static_cast<unsigned char>(text_[start]))) {
      pos_ = start;
      return std::nullopt;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  std::optional<double> number() {
    skip_space();
    std::size_t start = pos_;
    if (start < text_.size() && text_[start] == '+') ++start;  // from_chars takes no '+'
    double value = 0.0;
    const char* first = text_.data() + start;
    const char* last = text_.data() + text_.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) fail(pos_, "number out of range");
    if (ec != std::errc() || end == first) return std::nullopt;
    const std::size_t next = static_cast<std::size_t>(end - text_.data());
    if (!std::isfinite(value)) fail(pos_, "expected a finite number, found " + std::string(text_.substr(pos_, next - pos_)));
    pos_ = next;
    return value;
  }

  double require_number() {
    if (auto v = number()) return *v;
    expected("a number");
  }

  std::vector<double> list() {
    std::vector<double> out;
    require('[');
    if (accept(']')) return out;
    do out.push_back(require_number());
    while (accept(','));
    require(']');
    return out;
  }

 private:
  std::string_view text_;
  SourcePosition where_;
  std::size_t pos_ = 0;
};

/// `pNN` names a percentile; returns NN.
std::optional<double> percentile_level(const std::string& name) {
  if (name.size() < 2 || (name[0] != 'p' && name[0] != 'P')) return std::nullopt;
  double level = 0.0;
  const auto [end, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), level);
  if (ec != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return level;
}

}  // namespace

Distribution parse_distribution(std::string_view text, const SourcePosition& where) {
  Reader in(text, where);
  if (in.at_end()) in.expected("a distribution, e.g. 7 or pert(20, 28, 40)");
  const std::size_t start = in.pos();
  if (auto value = in.number()) {
    if (!in.at_end()) in.expected("the end of the text after a fixed value");
    return Distribution(DistributionSpec::fixed(*value));
  }
  const auto name = in.identifier();
  if (!name) in.expected("a number or a distribution kind such as pert(20, 28, 40)");
  DistributionSpec spec;
  try {
    spec.kind = distribution_kind_from_string(*name);
  } catch (const ParameterError& e) {
    in.fail(start, e.what());
  }
  in.require('(');

  const auto& names = positional_parameters(spec.kind);
  std::size_t positional = 0;
  std::vector<std::pair<double, double>> percentiles;  // (level, value)
  bool named_seen = false;
  if (!in.accept(')')) {
    do {
      const std::size_t at = in.pos();
      std::optional<std::string> key = in.identifier();
      if (key && !in.accept('=')) in.fail(at, "expected a number or name=value, found '" + *key + "'");
      if (!key) {
        if (named_seen) in.fail(at, "a value by position after one by name");
        const bool is_list = in.accept('[');
        if (is_list) {
          // discrete([values], [probabilities]) and empirical([data]): the lists by position.
          std::vector<double> values;
          if (!in.accept(']')) {
            do values.push_back(in.require_number());
            while (in.accept(','));
            in.require(']');
          }
          const bool discrete = spec.kind == DistributionKind::kDiscrete;
          if (spec.kind == DistributionKind::kEmpirical && positional == 0) {
            spec.values = std::move(values);
          } else if (discrete && positional < 2) {
            (positional == 0 ? spec.values : spec.probabilities) = std::move(values);
          } else {
            in.fail(at, std::string(to_string(spec.kind)) + " takes no list here");
          }
        } else if (spec.kind == DistributionKind::kEmpirical) {
          spec.values.push_back(in.require_number());
        } else {
          const double v = in.require_number();
          if (positional >= names.size())
            in.fail(at, std::string(to_string(spec.kind)) +
                            (names.empty() ? " takes its values by name"
                                           : " takes at most " + std::to_string(names.size()) + " values by position"));
          spec.params[std::string(names[positional])] = v;
        }
        ++positional;
        continue;
      }
      named_seen = true;
      if (*key == "values" || *key == "probabilities" || *key == "data") {
        (*key == "probabilities" ? spec.probabilities : spec.values) = in.list();
      } else if (const auto level = percentile_level(*key)) {
        if (!(*level > 0.0 && *level < 100.0))
          in.fail(at, "percentile " + *key + ": its level must be in (0, 100)");
        percentiles.emplace_back(*level, in.require_number());
      } else {
        if (spec.params.count(*key)) in.fail(at, *key + " is given twice");
        spec.params[*key] = in.require_number();
      }
    } while (in.accept(','));
    in.require(')');
  }
  if (!in.at_end()) in.expected("the end of the text");

  if (!percentiles.empty()) {
    if (percentiles.size() != 2 ||
        (spec.kind != DistributionKind::kLognormal && spec.kind != DistributionKind::kTrigen))
      in.fail(start, std::string(to_string(spec.kind)) + ": percentiles pNN=x are taken two at a time, by "
                                                            "lognormal and trigen");
    std::sort(percentiles.begin(), percentiles.end());
    if (percentiles[0].first == percentiles[1].first) in.fail(start, "the two percentiles have the same level");
    spec.params["low"] = percentiles[0].second;
    spec.params["low_pct"] = percentiles[0].first;
    spec.params["high"] = percentiles[1].second;
    spec.params["high_pct"] = percentiles[1].first;
  }
  // pert's lambda is optional; every other positional form takes all its values.
  const std::size_t optional = spec.kind == DistributionKind::kPert ? 1 : 0;
  if (!named_seen && percentiles.empty() && !names.empty() && positional + optional < names.size())
    in.fail(start, std::string(to_string(spec.kind)) + " takes " +
                       (optional ? std::to_string(names.size() - optional) + " or " : std::string()) +
                       std::to_string(names.size()) + " values, found " + std::to_string(positional));
  try {
    return Distribution(spec);
  } catch (const ParameterError& e) {
    in.fail(start, e.what());
  }
}

}  // namespace padsim
