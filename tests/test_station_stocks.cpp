// The station's stocks (models/station_stocks.cpp): rates from crew and docked supplies,
// deliveries under capacity, and crossings that are exact and free to observe.
#include <doctest/doctest.h>

#include <cstring>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::consumable;
using padsim::test::fixed;
using padsim::test::Harness;
using padsim::test::StationBuilder;

TEST_CASE("use follows the crew aboard, docked supplies cover part of the fixed use, never more") {
  // Water: 2 kg per crew-day, 10 kg/day fixed. 3 crew aboard, a cargo vehicle supplying 4 kg/day:
  // rate -(2 x 3 + (10 - 4)) = -12. With 15 kg/day supplied the fixed use is covered: -6.
  StationBuilder b;
  auto water = consumable("water", 1000.0, 2.0);
  water.per_day = fixed(10.0);
  b.s.consumables.push_back(water);
  b.s.vehicles[0].supplies = {{0, fixed(4.0)}};
  b.docked("crew", 1, -10.0, 1000.0, {3, 0});
  b.docked("cargo", 0, -10.0, 1000.0);
  Harness h(b.s);
  CHECK(h.st.stocks.level(0).rate() == -12.0);
  CHECK(h.st.stocks[0].supplied == 4.0);
  h.st.stocks.add_supplied(0, 11.0);
  h.st.stocks.update_rates(3.0);
  CHECK(h.st.stocks.level(0).rate() == -6.0);
}

TEST_CASE("a delivery above capacity is counted undelivered") {
  // Capacity 500, start 450, no use: 80 kg delivered, 30 do not fit.
  StationBuilder b;
  b.s.consumables.push_back(consumable("food", 450.0, 1.0, 0.0, 500.0));
  Harness h(b.s);
  CHECK(h.st.stocks.deliver(0, 80.0) == 30.0);
  CHECK(h.st.stocks.level(0).value() == 500.0);
  h.st.stocks.settle(10.0);
  CHECK(h.st.stocks.level(0).overflow() == 30.0);
}

TEST_CASE("reserve and zero crossings are traced at their exact moments and change no statistic") {
  // Food 100 kg, reserve 30, 2 crew x 1.4 kg = 2.8 kg/day: reserve at 70 / 2.8 = 25, zero at
  // 100 / 2.8 = 35.714285714..., on the horizon 100: 64.285714... days at zero.
  StationBuilder b;
  b.s.consumables.push_back(consumable("food", 100.0, 1.4, 30.0));
  b.s.vehicles[1].certified_life = b.s.vehicles[1].waiver_life = kUnlimited;
  b.docked("crew", 1, -10.0, 1000.0, {1, 1});
  Harness traced(b.s, /*traced=*/true);
  Harness quiet(b.s);
  for (Harness* h : {&traced, &quiet}) {
    h->sim().run_until(100.0);
    h->st.stocks.settle(100.0);
  }
  traced.flush();
  REQUIRE(traced.trace.times("below_reserve", "food").size() == 1);
  CHECK(traced.trace.times("below_reserve", "food")[0] == doctest::Approx(25.0).epsilon(1e-14));
  REQUIRE(traced.trace.times("at_zero", "food").size() == 1);
  CHECK(traced.trace.times("at_zero", "food")[0] == doctest::Approx(100.0 / 2.8).epsilon(1e-14));
  const Level& a = traced.st.stocks.level(0);
  const Level& q = quiet.st.stocks.level(0);
  const double ta[] = {a.time_at_zero(), a.unmet_demand(), a.time_below(0), a.first_below(0), a.first_at_zero()};
  const double tq[] = {q.time_at_zero(), q.unmet_demand(), q.time_below(0), q.first_below(0), q.first_at_zero()};
  CHECK(std::memcmp(ta, tq, sizeof ta) == 0);
  CHECK(tq[0] == doctest::Approx(100.0 - 100.0 / 2.8).epsilon(1e-14));
  CHECK(tq[3] == doctest::Approx(25.0).epsilon(1e-14));
  // The daily series: day 10 is 100 - 28 = 72; day 40 is empty.
  CHECK(quiet.row.series[10 * 2] == doctest::Approx(72.0).epsilon(1e-14));
  CHECK(quiet.row.series[40 * 2] == 0.0);
}
