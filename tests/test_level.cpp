// Continuous levels: exact threshold crossings and statistics, checked against hand computation.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "padsim/level.hpp"

using doctest::Approx;
using padsim::Level;
using padsim::Simulation;

TEST_CASE("a level crosses a threshold at the moment computed from its rate") {
  Simulation sim;
  Level food(sim, 1000.0, 4500.0);
  food.set_rate(-12.6);  // 7 crew x 1.8 kg/day
  std::vector<double> crossings;
  food.watch(315.0, [&] { crossings.push_back(sim.now()); });
  food.watch(0.0, [&] { crossings.push_back(sim.now()); });
  sim.run_until(200.0);
  // (1000 - 315) / 12.6 = 54.3650793650...; 1000 / 12.6 = 79.3650793650...
  REQUIRE(crossings.size() == 2);
  CHECK(crossings[0] == Approx(685.0 / 12.6).epsilon(1e-12));
  CHECK(std::abs(crossings[0] - 54.365079365079365) < 1e-9);
  CHECK(std::abs(crossings[1] - 79.365079365079365) < 1e-9);
  food.settle(200.0);
  CHECK(food.value() == 0.0);
  CHECK(food.time_at_zero() == Approx(200.0 - 1000.0 / 12.6));
  CHECK(food.unmet_demand() == Approx(12.6 * (200.0 - 1000.0 / 12.6)));
}

TEST_CASE("a delivery and a rate change re-arm the crossing exactly") {
  // Stock 100, use 2/day; at day 10 a delivery of 50; at day 20 the rate falls to 1/day.
  // Level: 80 at day 10 -> 130; at day 20: 110; threshold 60 reached at 20 + 50/1 = 70.
  Simulation sim;
  Level water(sim, 100.0, 500.0);
  water.set_rate(-2.0);
  std::vector<double> crossings;
  auto below = water.track_below(60.0);
  water.watch(60.0, [&] { crossings.push_back(sim.now()); });
  sim.schedule_at(10.0, [&] { water.add(50.0); });
  sim.schedule_at(20.0, [&] { water.set_rate(-1.0); });
  sim.run_until(100.0);
  REQUIRE(crossings.size() == 1);
  CHECK(std::abs(crossings[0] - 70.0) < 1e-9);
  water.settle(100.0);
  CHECK(water.value() == Approx(30.0));
  CHECK(water.minimum() == Approx(30.0));
  CHECK(std::abs(water.time_below(below) - 30.0) < 1e-9);
}

TEST_CASE("a level never exceeds its capacity: the excess is reported, not stored") {
  Simulation sim;
  Level gas(sim, 550.0, 600.0);
  CHECK(gas.add(80.0) == Approx(30.0));
  CHECK(gas.value() == 600.0);
  gas.set_rate(5.0);
  sim.run_until(2.0);
  gas.settle(2.0);
  CHECK(gas.overflow() == Approx(40.0));
  CHECK(gas.value() == 600.0);
}

TEST_CASE("a level rejects impossible values") {
  Simulation sim;
  CHECK_THROWS_WITH_AS(Level(sim, -1.0), "level: initial value -1 must be finite and >= 0", padsim::ParameterError);
  CHECK_THROWS_WITH_AS(Level(sim, 10.0, 5.0), "level: initial value 10 is above capacity 5", padsim::ParameterError);
  Level l(sim, 10.0);
  CHECK_THROWS_AS(l.add(-1.0), padsim::ParameterError);
  CHECK_THROWS_AS(l.set_rate(std::numeric_limits<double>::infinity()), padsim::ParameterError);
}

namespace {

// Everything a level integrates, compared bit for bit.
struct LevelTotals {
  double minimum, time_at_zero, unmet, overflow, below, value;
  bool operator==(const LevelTotals&) const = default;
};

// Use 12.6/day from 1000, a delivery of 100 at day 30, use 9.1/day from day 40, settled at 200.
LevelTotals run_stock(const std::vector<double>& watched, std::vector<std::vector<double>>* crossings) {
  Simulation sim;
  Level stock(sim, 1000.0, 4500.0);
  const auto below = stock.track_below(315.0);
  stock.set_rate(-12.6);
  if (crossings) crossings->assign(watched.size(), {});
  for (std::size_t w = 0; w < watched.size(); ++w)
    stock.watch(watched[w], [&sim, crossings, w] {
      if (crossings) (*crossings)[w].push_back(sim.now());
    });
  sim.schedule_at(30.0, [&] { stock.add(100.0); });
  sim.schedule_at(40.0, [&] { stock.set_rate(-9.1); });
  sim.run_until(200.0);
  stock.settle(200.0);
  return {stock.minimum(), stock.time_at_zero(), stock.unmet_demand(), stock.overflow(), stock.time_below(below),
          stock.value_at(200.0)};
}

}  // namespace

TEST_CASE("watching a level never changes what it integrates, to the last bit") {
  // A watch is an observer: its event must not split the linear piece it observes, or the
  // integrals of a watched stock would differ in their last bits from an unwatched one.
  const LevelTotals plain = run_stock({}, nullptr);
  std::vector<std::vector<double>> crossings;
  const LevelTotals watched = run_stock({315.0, 0.0, 123.456, 700.0}, &crossings);
  CHECK(watched == plain);
  CHECK(std::memcmp(&watched, &plain, sizeof plain) == 0);
  // Hand-computed: 1000 - 30 x 12.6 = 622, +100 = 722; 722 - 10 x 12.6 = 596 at day 40; zero at
  // 40 + 596 / 9.1 = 105.494...; 700 is crossed once before the delivery (day 300/12.6 = 23.8...)
  // and once after it (day 30 + 22/12.6).
  CHECK(plain.time_at_zero == Approx(200.0 - (40.0 + 596.0 / 9.1)).epsilon(1e-12));
  CHECK(plain.unmet == Approx(9.1 * (200.0 - (40.0 + 596.0 / 9.1))).epsilon(1e-12));
  CHECK(plain.below == Approx(200.0 - (40.0 + (596.0 - 315.0) / 9.1)).epsilon(1e-12));
  REQUIRE(crossings[3].size() == 2);
  CHECK(crossings[3][0] == Approx(300.0 / 12.6).epsilon(1e-12));
  CHECK(crossings[3][1] == Approx(30.0 + 22.0 / 12.6).epsilon(1e-12));
}

TEST_CASE("a crossing time does not depend on which other thresholds are watched") {
  // The crossing of zero computed alone and alongside watches that fire before it: identical bits.
  std::vector<std::vector<double>> alone, together;
  run_stock({0.0}, &alone);
  run_stock({0.0, 315.0, 500.0, 123.456}, &together);
  REQUIRE(alone[0].size() == 1);
  REQUIRE(together[0].size() == 1);
  CHECK(std::memcmp(&alone[0][0], &together[0][0], sizeof(double)) == 0);
  REQUIRE(together[1].size() == 1);
  CHECK(together[1][0] == Approx(40.0 + (596.0 - 315.0) / 9.1).epsilon(1e-12));
}

TEST_CASE("a level records the first moment below each tracked threshold and the first at zero") {
  // 50 at rate -5: below 20 from day 6, at zero from day 10; add 30 at day 12 (level 30), then
  // rate -1: below 20 again at 22, but the first moments stay 6 and 10.
  Simulation sim;
  Level stock(sim, 50.0);
  const auto low = stock.track_below(20.0);
  const auto high = stock.track_below(60.0);  // below from the start
  stock.set_rate(-5.0);
  sim.schedule_at(12.0, [&] {
    stock.add(30.0);
    stock.set_rate(-1.0);
  });
  sim.run_until(30.0);
  stock.settle(30.0);
  CHECK(stock.first_below(low) == 6.0);
  CHECK(stock.first_below(high) == 0.0);
  CHECK(stock.first_at_zero() == 10.0);
  CHECK(stock.time_below(low) == Approx(6.0 + 8.0));  // days 6..12 and 22..30
  CHECK(stock.time_at_zero() == 2.0);
  CHECK(stock.unmet_demand() == 10.0);
  CHECK(stock.value() == 12.0);
  Level full(sim, 0.0);
  CHECK(full.first_at_zero() == 30.0);  // starts empty: at zero from its creation
  CHECK(std::isnan(Level(sim, 1.0).first_at_zero()));
}

TEST_CASE("a level tracks any number of thresholds, each exactly") {
  // 100 at rate -10 for 10 days: below 80 from day 2, 50 from 5, 30 from 7, 10 from 9.
  Simulation sim;
  Level stock(sim, 100.0);
  const double thresholds[] = {80.0, 50.0, 30.0, 10.0};
  std::vector<std::size_t> trackers;
  for (double t : thresholds) trackers.push_back(stock.track_below(t));
  stock.set_rate(-10.0);
  sim.run_until(10.0);
  stock.settle(10.0);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(stock.first_below(trackers[k]) == (100.0 - thresholds[k]) / 10.0);
    CHECK(stock.time_below(trackers[k]) == 10.0 - (100.0 - thresholds[k]) / 10.0);
  }
  CHECK_THROWS_AS(stock.time_below(4), std::out_of_range);
}

TEST_CASE("values_at_days writes value_at of every day, bit for bit, clamped or not") {
  // Lines that stay inside [0, capacity], that run out, and that fill up, over a strided series;
  // values_at_days must give value_at's bits (the daily series of the model), including the clamps.
  Simulation sim;
  for (const double rate : {-3.7, -41.3, 0.0, 17.9, 1e-3}) {
    Level stock(sim, 250.5, 600.0);
    sim.schedule_at(2.3, [&] { stock.set_rate(rate); });
    sim.run_until(2.3);
    constexpr std::size_t kStride = 3, kFirst = 3, kEnd = 60;
    std::vector<double> out(kEnd * kStride, -1.0);
    stock.values_at_days(kFirst, kEnd, out.data() + kFirst * kStride + 1, kStride);
    for (std::size_t d = 0; d < kEnd; ++d) {
      CAPTURE(rate);
      CAPTURE(d);
      CHECK(out[d * kStride] == -1.0);  // other columns untouched
      CHECK(out[d * kStride + 2] == -1.0);
      if (d < kFirst) {
        CHECK(out[d * kStride + 1] == -1.0);
        continue;
      }
      const double want = stock.value_at(static_cast<double>(d));
      const double got = out[d * kStride + 1];
      CHECK(std::memcmp(&want, &got, sizeof want) == 0);
      CHECK(got >= 0.0);
      CHECK(got <= 600.0);
    }
    stock.values_at_days(5, 5, out.data(), 1);  // an empty range writes nothing
    CHECK(out[5] == -1.0);
  }
}
